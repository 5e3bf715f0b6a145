import { PersonalDataVault } from '#platform';
import { checkCertificate, verifyLog, AuditLogRunner, type HoursCertificate } from '#projections';
import {
  hoursAgo,
  operator,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from '../commands/commands-kit.js';
import { auditor, checkpointCoveringAll, get } from './audit-log-kit.js';

describe('erasing a citizen keeps the log verifiable', () => {
  let kit: CommandsKit;
  const citizenRef = 'CCCD-079203009876';
  let ids: Awaited<ReturnType<typeof seedTree>>;
  let key: string;
  let before: HoursCertificate;
  let kept: string;

  beforeAll(async () => {
    kit = await startCommandsKit('tlog_citizen', { worker: true, auditCheckpointIntervalMs: 50 });
    ids = await seedTree(kit, 'ct');
    const must = async (path: string, body: object) => (await kit.record(path, body)).position;
    await must('/shifts', {
      id: 'ct-s1',
      memberId: ids.member,
      location: 'x',
      startedAt: hoursAgo(3),
    });
    await must('/shifts/ct-s1/assistance', {
      id: 'ct-a1',
      serviceType: 'eid_activation',
      occurredAt: hoursAgo(2),
      citizenRef,
    });
    await must('/shifts/ct-s1/end', { endedAt: hoursAgo(1) });
    const position = await must('/shifts/ct-s1/verify', {});
    kept = (await checkpointCoveringAll(kit)).note;
    key = (await get(kit, '/audit/log/key', auditor)).text.trim();
    before = (
      await get(kit, `/audit/members/${ids.member}/certificate?minPosition=${position}`, auditor)
    ).body;
  });
  afterAll(() => kit?.close());

  it('is for operators only, and names a missing reference', async () => {
    const coordinator = { sub: 'c', role: 'coordinator' as const, unitId: ids.province };
    const refused = await kit.send('delete', '/citizens/personal-data', coordinator, {
      citizenRef,
    });
    expect(refused.status).toBe(403);
    const empty = await kit.send('delete', '/citizens/personal-data', operator, {});
    expect(empty.status).toBe(400);
    const fields = (empty.body.errors as { field: string }[]).map((e) => e.field);
    expect(new Set(fields)).toEqual(new Set(['citizenRef']));
  });

  it('destroys the key: the reference reads as erased, and the log names only the pseudonymous subject', async () => {
    const vault = kit.app.get(PersonalDataVault);
    const sealed = (await kit.store.readStream('shift-ct-s1'))[1]!.data.citizenRef;
    expect(await vault.open(sealed)).toBe(citizenRef);

    const res = await kit.send('delete', '/citizens/personal-data', operator, { citizenRef });
    expect(res.status).toBe(201);
    expect(res.body.streamId).toMatch(/^citizen-[0-9a-f]{32}$/);
    const again = await kit.send('delete', '/citizens/personal-data', operator, { citizenRef });
    expect(again.body).toEqual(res.body); // a resend answers the same and records nothing

    expect(await vault.open(sealed)).toBeNull();
    const [erased] = await kit.store.readStream(res.body.streamId);
    expect(erased).toMatchObject({
      type: 'CitizenDataErased',
      data: { subjectId: res.body.streamId },
    });
    const rows = await kit.sql<{ text: string }>(
      `SELECT string_agg(t::text, ' ') AS text FROM (SELECT e::text AS t FROM events e UNION ALL SELECT c::text FROM command_log c) x`,
    );
    expect(rows[0]!.text).not.toContain(citizenRef);

    // and a resend of the assistance confirms no guess of the reference: it answers its first result
    const first = await kit.store.readStream('shift-ct-s1');
    const guess = await kit.post('/shifts/ct-s1/assistance', operator, {
      id: 'ct-a1',
      serviceType: 'eid_activation',
      occurredAt: hoursAgo(2),
      citizenRef: '079999999999',
    });
    expect(guess.status).toBe(201);
    expect(guess.body.streamId).toBe('shift-ct-s1');
    expect((await kit.store.readStream('shift-ct-s1')).length).toBe(first.length);
  });

  it('leaves the certificate, the shift’s chain and the kept checkpoint all verifying', async () => {
    expect(checkCertificate(before, key)).toEqual([]);
    expect((await kit.store.verifyStream('shift-ct-s1')).valid).toBe(true);
    await checkpointCoveringAll(kit); // the erasure event is signed too
    const log = kit.app.get(AuditLogRunner);
    const result = await verifyLog(
      {
        readFeed: (from, maxCount) => kit.store.readAll({ fromPosition: from, maxCount }),
        tree: log.tree,
        checkpoints: log.checkpoints,
      },
      kept,
      key,
    );
    expect(result).toMatchObject({ ok: true });
    expect(result.latestSize).toBeGreaterThan(result.treeSize);
  });
});
