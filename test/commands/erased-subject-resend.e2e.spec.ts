import { createHash } from 'node:crypto';
import { canonicalJson } from '#event-store';
import { CommandLog } from '../../libs/commands/src/shared/command-log.js';
import {
  hoursAgo,
  operator,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from './commands-kit.js';

/** What the idempotency log stored for every body before it was keyed: a plain SHA-256. */
const plainSha256 = (request: unknown) =>
  createHash('sha256').update(canonicalJson(request)).digest('hex');

/**
 * Issue 9, defect 5: the idempotency log must reveal nothing about bodies (a keyed hash), and after
 * an erasure a resend must answer the same whatever the body, or it tells a right name from a wrong one.
 */
describe('the idempotency log keeps nothing that reveals a body', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  const hashOf = async (commandKey: string) =>
    (
      await kit.sql<{ body_hash: string }>(
        'SELECT body_hash FROM command_log WHERE command_key = $1',
        [commandKey],
      )
    )[0]?.body_hash;

  beforeAll(async () => {
    kit = await startCommandsKit('cmd_erased_resend');
    ids = await seedTree(kit, 'q');
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('stores a keyed hash: neither the SHA-256 of the enrolment nor of an assistance body', async () => {
    // given an enrolment and an assistance with a citizen's ID-card number
    const enrolment = { id: 'q-keyed', unitId: ids.branch, displayName: 'Đặng Thị Keyed' };
    expect((await kit.post('/members', operator, enrolment)).status).toBe(201);
    await kit.post('/shifts', operator, {
      id: 'q-s1',
      memberId: 'q-keyed',
      location: 'x',
      startedAt: hoursAgo(3),
    });
    const assistance = {
      id: 'q-a1',
      serviceType: 'chip_id_card',
      occurredAt: hoursAgo(2),
      citizenRef: 'CCCD-001099012345',
    };
    expect((await kit.post('/shifts/q-s1/assistance', operator, assistance)).status).toBe(201);

    // then the log holds something an ID number or a name cannot be checked against without the secret
    const enrolled = await hashOf('POST /members q-keyed');
    const helped = await hashOf('POST /shifts/:id/assistance q-a1');
    expect(enrolled).toBeDefined();
    expect(enrolled).not.toContain(plainSha256(enrolment));
    expect(helped).toBeDefined();
    expect(helped).not.toContain(plainSha256({ shiftId: 'q-s1', ...assistance }));
    // and a resend with the same body still finds its first answer
    const again = await kit.post('/members', operator, enrolment);
    expect(again.status).toBe(201);
    expect(await kit.streamLength('member-q-keyed')).toBe(1);
  });

  it('answers an erased member’s enrolment the same whatever the name sent with it', async () => {
    // given a member enrolled, then erased
    const enrolment = { id: 'q-gone', unitId: ids.branch, displayName: 'Phan Văn Oracle' };
    const first = await kit.post('/members', operator, enrolment);
    expect(first.status).toBe(201);
    expect((await kit.send('delete', '/members/q-gone/personal-data', operator)).status).toBe(201);
    const before = await kit.totalEvents();

    // when the enrolment is resent with the right name, and with a wrong one
    const right = await kit.post('/members', operator, enrolment);
    const wrong = await kit.post('/members', operator, { ...enrolment, displayName: 'Ai Đó Khác' });

    // then both answers are the first one: nothing tells the right name from the wrong one
    expect(right.status).toBe(201);
    expect(wrong.status).toBe(right.status);
    expect(wrong.body).toEqual(right.body);
    expect(right.body).toEqual(first.body);
    expect(await kit.totalEvents()).toBe(before);
    // and the log no longer holds any hash of that body, keyed or not
    expect(await hashOf('POST /members q-gone')).toBe('forgotten');
  });

  it('still refuses another body for a member who was not erased', async () => {
    const enrolment = { id: 'q-kept', unitId: ids.branch, displayName: 'Lê Thị Kept' };
    expect((await kit.post('/members', operator, enrolment)).status).toBe(201);
    const other = await kit.post('/members', operator, { ...enrolment, displayName: 'Khác' });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ code: 'command_id_reused' });
  });

  it('converts rows stored before the hash was keyed, so their resends still match', async () => {
    // given two enrolments logged the old way (plain SHA-256), one of a member erased since
    const kept = { id: 'q-old', unitId: ids.branch, displayName: 'Vũ Văn Cũ' };
    const gone = { id: 'q-old-gone', unitId: ids.branch, displayName: 'Vũ Thị Đã Xoá' };
    const result = (id: string) => ({ id, streamId: `member-${id}`, version: 1, position: 1 });
    for (const body of [kept, gone])
      await kit.sql(
        `INSERT INTO command_log (command_key, route, body_hash, result, completed_at)
         VALUES ($1, 'POST /members', $2, $3, now())`,
        [`POST /members ${body.id}`, plainSha256(body), JSON.stringify(result(body.id))],
      );
    await kit.sql(`INSERT INTO personal_data_erasures (subject_id) VALUES ('member-q-old-gone')`);

    // when the server upgrades the log (as it does at every start)
    await kit.app.get(CommandLog).upgradeLegacyRows();

    // then no plain hash is left, a resend of the kept one still answers its result, another body
    // is still refused, and the erased one's body is forgotten
    expect(await hashOf('POST /members q-old')).not.toContain(plainSha256(kept));
    expect((await kit.post('/members', operator, kept)).body).toEqual(result('q-old'));
    expect((await kit.post('/members', operator, { ...kept, displayName: 'X' })).status).toBe(409);
    expect(await hashOf('POST /members q-old-gone')).toBe('forgotten');
  });
});
