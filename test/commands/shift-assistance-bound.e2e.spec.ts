import { maxAssistancesPerShift } from '#domain';
import {
  hoursAgo,
  operator,
  PROBLEM,
  seedTree,
  startCommandsKit,
  storedAssistance,
  type CommandsKit,
} from './commands-kit.js';

/**
 * A shift's stream is read whole (the audit stream and its verify, the hours certificate), and a
 * volunteer alone could grow their own shift without end: 6,000 records in a minute made a 5 MB audit
 * answer, and forty auditors reading it at once held the process until /health answered 503.
 */
describe('how many assistance records one shift holds', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  const shiftId = 'ab-s1';

  beforeAll(async () => {
    kit = await startCommandsKit('cmd_assistance_bound');
    ids = await seedTree(kit, 'ab');
    const started = await kit.record('/shifts', {
      id: shiftId,
      memberId: ids.member,
      location: 'TTHCC phường 1',
      startedAt: hoursAgo(3),
    });
    let version = BigInt(started.version);
    for (let left = maxAssistancesPerShift; left > 0; left -= 1000) {
      const batch = Array.from({ length: Math.min(1000, left) }, () =>
        storedAssistance(shiftId, ids.member, ids.member),
      );
      ({ nextExpectedVersion: version } = await kit.store.append(`shift-${shiftId}`, batch, {
        expectedVersion: version,
      }));
    }
  });
  afterAll(async () => {
    await kit?.close();
  });

  it(`given a shift holding ${maxAssistancesPerShift} records, when its volunteer records one more, then 422 shift_assistance_full and nothing is recorded`, async () => {
    const before = await kit.streamLength(`shift-${shiftId}`);
    expect(before).toBe(maxAssistancesPerShift + 1);
    const volunteer = { sub: ids.member, role: 'volunteer' as const, unitId: ids.branch };
    const res = await kit.post(`/shifts/${shiftId}/assistance`, volunteer, {
      serviceType: 'eid_activation',
      occurredAt: hoursAgo(1),
    });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ code: 'shift_assistance_full' });
    expect(await kit.streamLength(`shift-${shiftId}`)).toBe(before);
  });

  it('given the full shift, when it is ended, then the shift itself still takes its other commands', async () => {
    const res = await kit.post(`/shifts/${shiftId}/end`, operator, { endedAt: hoursAgo(0.5) });
    expect(res.status).toBe(201);
  });
});
