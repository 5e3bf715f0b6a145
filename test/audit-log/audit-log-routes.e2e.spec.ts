import {
  leafHash,
  openNote,
  parseCheckpoint,
  parseVerifierKey,
  verifyConsistency,
  verifyInclusion,
} from '#event-store';
import { PROBLEM, startCommandsKit, type CommandsKit } from '../commands/commands-kit.js';
import {
  auditor,
  checkpointCoveringAll,
  get,
  recordVerifiedShift,
  type CheckpointJson,
} from './audit-log-kit.js';
import { buildGoChecker } from './go-tlog-check.js';

const hashes = (list: string[]) => list.map((h) => Buffer.from(h, 'base64'));

describe('the verifiable log routes, checked with golang.org/x/mod and with our own verifier', () => {
  let kit: CommandsKit;
  let go: ReturnType<typeof buildGoChecker>;
  let key: string;
  let first: CheckpointJson;
  let second: CheckpointJson;
  let lastPosition: number;

  beforeAll(async () => {
    go = buildGoChecker();
    kit = await startCommandsKit('tlog_routes', { worker: true, auditCheckpointIntervalMs: 50 });
    await recordVerifiedShift(kit, 'tl1', 3);
    first = await checkpointCoveringAll(kit);
    lastPosition = (await recordVerifiedShift(kit, 'tl2', 2)).position;
    second = await checkpointCoveringAll(kit);
    key = (await get(kit, '/audit/log/key', { sub: 'v', role: 'viewer' })).text.trim();
  });

  afterAll(async () => {
    await kit?.close();
    go?.remove();
  });

  it('gives any token the verifier key and the latest checkpoint as text, and the checkpoint opens', async () => {
    const res = await get(kit, '/audit/log/checkpoint', { sub: 'v', role: 'viewer' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toBe(second.note);
    const text = openNote(res.text, [parseVerifierKey(key)]);
    expect(parseCheckpoint(text)).toEqual({
      origin: 'volunteer-campaigns.local/log',
      treeSize: second.treeSize,
      rootHash: Buffer.from(second.rootHash, 'base64'),
    });
    expect(go.check({ key, checkpoint: res.text })).toMatchObject({ ok: true });
  });

  it('keeps every checkpoint, oldest first, for auditors and operators only', async () => {
    const res = await get(kit, '/audit/log/checkpoints', auditor);
    const sizes = (res.body.checkpoints as CheckpointJson[]).map((c) => c.treeSize);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    expect(sizes).toEqual(expect.arrayContaining([first.treeSize, second.treeSize]));
    const viewer = await get(kit, '/audit/log/checkpoints', { sub: 'v', role: 'viewer' });
    expect(viewer.status).toBe(403);
    expect(viewer.headers['content-type']).toMatch(PROBLEM);
  });

  it('proves every event included in the latest checkpoint, in a form Go’s tlog.CheckRecord accepts', async () => {
    const events = await kit.store.readAll({ maxCount: second.treeSize });
    expect(events).toHaveLength(second.treeSize);
    const inclusions = [];
    for (const event of events) {
      const res = await get(kit, `/audit/log/events/${event.eventId}/inclusion`, auditor);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ eventId: event.eventId, treeSize: second.treeSize });
      const leafData = Buffer.from(event.hash, 'hex');
      const root = Buffer.from(second.rootHash, 'base64');
      const ok = verifyInclusion(
        res.body.leafIndex,
        second.treeSize,
        leafHash(leafData),
        hashes(res.body.hashes),
        root,
      );
      expect(ok).toBe(true);
      inclusions.push({
        leafIndex: res.body.leafIndex as number,
        leafData: leafData.toString('base64'),
        hashes: res.body.hashes as string[],
      });
    }
    expect(inclusions.map((i) => i.leafIndex)).toEqual(events.map((_, i) => i)); // feed order
    const checked = go.check({ key, checkpoint: second.note, inclusions });
    expect(checked).toMatchObject({ ok: true });
    expect(checked.stdout.match(/^ok inclusion/gm)).toHaveLength(events.length);
  });

  it('proves the second checkpoint consistent with the first, for tlog.CheckTree too', async () => {
    const q = `/audit/log/consistency?from=${first.treeSize}&to=${second.treeSize}`;
    const res = await get(kit, q, auditor);
    expect(res.status).toBe(200);
    expect(res.body.from).toBe(first.treeSize);
    const ok = verifyConsistency(
      first.treeSize,
      second.treeSize,
      Buffer.from(first.rootHash, 'base64'),
      Buffer.from(second.rootHash, 'base64'),
      hashes(res.body.hashes),
    );
    expect(ok).toBe(true);
    const consistency = { checkpoint: first.note, hashes: res.body.hashes as string[] };
    expect(go.check({ key, checkpoint: second.note, consistency })).toMatchObject({ ok: true });
    const bent = { ...consistency, hashes: [...consistency.hashes].reverse() };
    const refused = go.check({ key, checkpoint: second.note, consistency: bent });
    expect(refused.ok).toBe(false);
    expect(refused.stderr).toMatch(/tlog.CheckTree/);
  });

  it('an inclusion proof into an older checkpoint verifies there; one for a later event is a 404', async () => {
    const events = await kit.store.readAll({ maxCount: second.treeSize });
    const early = events[1]!;
    const res = await get(
      kit,
      `/audit/log/events/${early.eventId}/inclusion?treeSize=${first.treeSize}`,
      auditor,
    );
    const inclusion = {
      leafIndex: 1,
      leafData: Buffer.from(early.hash, 'hex').toString('base64'),
      hashes: res.body.hashes as string[],
    };
    expect(go.check({ key, checkpoint: first.note, inclusions: [inclusion] }).ok).toBe(true);
    expect(go.check({ key, checkpoint: second.note, inclusions: [inclusion] }).ok).toBe(false);
    const late = events[second.treeSize - 1]!;
    const notYet = await get(
      kit,
      `/audit/log/events/${late.eventId}/inclusion?treeSize=${first.treeSize}`,
      auditor,
    );
    expect(notYet.status).toBe(404);
    expect((await get(kit, '/audit/log/events/nope/inclusion', auditor)).status).toBe(404);
  });

  it('refuses sizes never signed with 400 naming the field, and proofs to viewers with 403', async () => {
    const list = await get(kit, '/audit/log/checkpoints?limit=1000', auditor);
    const signed = new Set((list.body.checkpoints as CheckpointJson[]).map((c) => c.treeSize));
    let never = 1;
    while (signed.has(never)) never += 1;
    const q = `/audit/log/consistency?from=${never}&to=${second.treeSize}`;
    const unsigned = await get(kit, q, auditor);
    expect(unsigned.status).toBe(400);
    expect(unsigned.body.errors).toEqual([expect.objectContaining({ field: 'from' })]);
    const bad = await get(
      kit,
      `/audit/log/events/x/inclusion?treeSize=${second.treeSize + 7}`,
      auditor,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'treeSize' })]);
    const viewer = await get(kit, `/audit/log/consistency?from=1&to=2`, {
      sub: 'v',
      role: 'viewer',
    });
    expect(viewer.status).toBe(403);
  });

  it('takes ?minPosition= on the proof routes as on every read, and refuses ?snapshot= with its reason', async () => {
    // given a client that read the checkpoint list, an event's proof and a consistency proof
    const events = await kit.store.readAll({ maxCount: second.treeSize });
    const paths = [
      `/audit/log/checkpoints?fromSize=${first.treeSize}`,
      `/audit/log/events/${events[0]!.eventId}/inclusion?treeSize=${second.treeSize}`,
      `/audit/log/consistency?from=${first.treeSize}&to=${second.treeSize}`,
    ];
    for (const path of paths) {
      const plain = await get(kit, path, auditor);

      // when it sends the position a command returned, as API.md lets it on every read, or a snapshot
      const after = await get(kit, `${path}&minPosition=${lastPosition}`, auditor);
      const none = await get(kit, `${path}&minPosition=-1`, auditor);
      const past = await get(kit, `${path}&snapshot=s1`, auditor);

      // then it answers as without it (the signed log holds that position: met at once), as
      // /audit/log/checkpoint does, checks the position, and says why a snapshot is not taken
      expect(after.status).toBe(200);
      expect(after.body).toEqual(plain.body);
      expect(none.status).toBe(400);
      expect(none.body.errors).toEqual([expect.objectContaining({ field: 'minPosition' })]);
      expect(past.status).toBe(400);
      expect(past.headers['content-type']).toMatch(PROBLEM);
      expect(past.body.errors).toEqual([
        { field: 'snapshot', message: expect.stringContaining('not from a snapshot') },
      ]);
    }
  });
});
