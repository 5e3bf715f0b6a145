import { randomUUID } from 'node:crypto';
import {
  hoursAgo,
  operator,
  seedTree,
  startCommandsKit,
  storedAssistance,
  type CommandsKit,
} from './commands-kit.js';

/** An assistance record as another process would have appended it (this process's cache misses it). */
const elsewhere = (shiftId: string, memberId: string) =>
  storedAssistance(shiftId, memberId, 'elsewhere');

/**
 * The command path of issue 11: authorization before the idempotency log is ever read, and the folded
 * state this process caches per stream never deciding on a stream another process has moved on.
 */
describe('the command path', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  const shift = 'cp-s1';
  beforeAll(async () => {
    kit = await startCommandsKit('cmd_path');
    ids = await seedTree(kit, 'cp');
    const started = await kit.post('/shifts', operator, {
      id: shift,
      memberId: ids.member,
      location: 'TTHCC phường 1',
      startedAt: hoursAgo(3),
    });
    expect(started.status).toBe(201);
  });
  afterAll(async () => {
    await kit?.close();
  });

  it("a resend by someone without rights answers 403, never the command's recorded result", async () => {
    // given an assistance the member recorded on their own shift
    const owner = { sub: ids.member, role: 'volunteer' as const, unitId: ids.branch };
    const body = { id: randomUUID(), serviceType: 'eid_activation', occurredAt: hoursAgo(2) };
    const first = await kit.post(`/shifts/${shift}/assistance`, owner, body);
    expect(first.status).toBe(201);

    // when another volunteer sends the very same command
    const other = { sub: ids.other, role: 'volunteer' as const, unitId: ids.branch };
    const resent = await kit.post(`/shifts/${shift}/assistance`, other, body);

    // then they are refused before the log is read, and learn nothing of the first answer
    expect(resent.status).toBe(403);
    expect(resent.body).not.toHaveProperty('position');
    // and the owner's resend still answers the first result
    const again = await kit.post(`/shifts/${shift}/assistance`, owner, body);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
  });

  it('a stream another process appended to meanwhile is decided on its new head, versions contiguous', async () => {
    // given the shift as this process last wrote it, then two records appended by another writer
    const before = await kit.post(`/shifts/${shift}/assistance`, operator, {
      serviceType: 'other',
      occurredAt: hoursAgo(1),
    });
    expect(before.status).toBe(201);
    await kit.store.append(`shift-${shift}`, [elsewhere(shift, ids.member)], {
      expectedVersion: BigInt(before.body.version),
    });
    await kit.store.append(`shift-${shift}`, [elsewhere(shift, ids.member)], {
      expectedVersion: BigInt(before.body.version + 1),
    });

    // when this process records the next one
    const next = await kit.post(`/shifts/${shift}/assistance`, operator, {
      serviceType: 'other',
      occurredAt: hoursAgo(1),
    });

    // then it follows the other writer's events, with no gap and an intact chain
    expect(next.status).toBe(201);
    expect(next.body.version).toBe(before.body.version + 3);
    const events = await kit.store.readStream(`shift-${shift}`);
    expect(events.map((e) => Number(e.streamVersion))).toEqual(events.map((_, i) => i));
    expect((await kit.store.verifyStream(`shift-${shift}`)).valid).toBe(true);
  });

  it('an acceptance decided on a cached state never outlives the stream', async () => {
    // given a shift this process saw open, ended meanwhile by another writer
    const open = await kit.post('/shifts', operator, {
      id: 'cp-s2',
      memberId: ids.other,
      location: 'x',
      startedAt: hoursAgo(6),
    });
    expect(open.status).toBe(201);
    const endedAt = hoursAgo(5);
    const ended = { ...elsewhere('cp-s2', ids.other), type: 'ShiftEnded' };
    await kit.store.append('shift-cp-s2', [{ ...ended, data: { shiftId: 'cp-s2', endedAt } }], {
      expectedVersion: 0n,
    });

    // when assistance after that end is sent through this process
    const late = await kit.post('/shifts/cp-s2/assistance', operator, {
      serviceType: 'other',
      occurredAt: hoursAgo(4),
    });

    // then it is refused by the rule on the shift as stored (ended), not accepted on the cached one
    expect(late.status).toBe(422);
    expect(late.body.code).toBe('assistance_outside_shift');
  });

  it('a refusal decided on a cached state is checked against the stream first', async () => {
    // given a shift this process ended, whose end another writer then corrected to later
    const started = await kit.post('/shifts', operator, {
      id: 'cp-s3',
      memberId: ids.other,
      location: 'x',
      startedAt: hoursAgo(12),
    });
    expect(started.status).toBe(201);
    const ended = await kit.post('/shifts/cp-s3/end', operator, { endedAt: hoursAgo(11) });
    expect(ended.status).toBe(201);
    const corrected = { ...elsewhere('cp-s3', ids.other), type: 'ShiftCorrected' };
    const data = { shiftId: 'cp-s3', startedAt: null, endedAt: hoursAgo(9), reason: 'late' };
    await kit.store.append('shift-cp-s3', [{ ...corrected, data }], { expectedVersion: 1n });

    // when assistance inside the corrected span, after the end this process saw, is sent
    const inside = await kit.post('/shifts/cp-s3/assistance', operator, {
      serviceType: 'other',
      occurredAt: hoursAgo(10),
    });

    // then it is recorded after the correction
    expect(inside.status).toBe(201);
    expect(inside.body.version).toBe(3);
  });
});
