import {
  hoursAgo,
  operator,
  PROBLEM,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from './commands-kit.js';

/**
 * DESIGN.md "Personal data" and the member rule of the shift decider: once a member's data is erased,
 * no new shift is recorded for them. The decision reads the member's stream and appends to the shift's
 * stream, so an erasure could land between the two: a probe saw 3 shifts in 10 races recorded after
 * the erasure. Here an erasure and a shift start of the same member are sent together, round after
 * round; in feed order (the global position, what every projection and auditor folds), no shift of the
 * member may come after their erasure, and a refused shift records nothing.
 */
describe('a shift started while its member is erased never lands after the erasure', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  const rounds = 20;

  beforeAll(async () => {
    kit = await startCommandsKit('cmd_erasure_race');
    ids = await seedTree(kit, 'er');
  });
  afterAll(async () => {
    await kit?.close();
  });

  it(`refuses the shift or records it before the erasure, in ${rounds} races`, async () => {
    const misplaced: string[] = [];
    for (let round = 0; round < rounds; round++) {
      // given a member with no shift
      const memberId = `er-race-${round}`;
      const shiftId = `er-race-shift-${round}`;
      await kit.record('/members', { id: memberId, unitId: ids.branch, displayName: 'Lê Văn Đua' });

      // when their erasure and a shift start are sent at once (either first, in turn)
      const erase = () => kit.send('delete', `/members/${memberId}/personal-data`, operator);
      const start = () =>
        kit.post('/shifts', operator, {
          id: shiftId,
          memberId,
          location: 'Trung tâm hành chính công',
          startedAt: hoursAgo(1),
        });
      const [erased, started] =
        round % 2 === 0
          ? await Promise.all([erase(), start()])
          : await Promise.all([start(), erase()]).then(([s, e]) => [e, s] as const);

      // then the erasure is recorded, and the shift either before it or not at all
      expect(erased.status).toBe(201);
      const [erasedAt] = await kit.positions(`stream_id = $1 AND type = 'MemberDataErased'`, [
        `member-${memberId}`,
      ]);
      const shiftsAt = await kit.positions(`type = 'ShiftStarted' AND data->>'memberId' = $1`, [
        memberId,
      ]);
      if (started.status === 201) {
        expect(shiftsAt).toEqual([BigInt(started.body.position)]);
        if (shiftsAt[0]! > erasedAt!)
          misplaced.push(`round ${round}: shift at ${shiftsAt[0]}, erasure at ${erasedAt}`);
      } else {
        expect(started.status).toBe(422);
        expect(started.headers['content-type']).toMatch(PROBLEM);
        expect(started.body).toMatchObject({ status: 422, code: 'member_erased' });
        expect(shiftsAt).toEqual([]);
        expect(await kit.streamLength(`shift-${shiftId}`)).toBe(0);
      }
    }
    expect(misplaced).toEqual([]);
  });
});
