import { memberLeaderboard, READS, resolvePeriod, type MemberLeaderboardQuery } from '#projections';
import { activityWaves, appendWaves } from '../../libs/projections/src/demo/activity-generator.js';
import { boardFromFold, foldStoredEvents } from './support/member-leaderboard.fold.js';
import { projectionFixture, type Fixture } from './support/projection-fixture.js';
import { scenario } from './support/scenario.js';

// The member leaderboards read the figures member-totals keeps (totals, per campaign, 15-minute and
// daily buckets). The reference is a plain fold of the stored events (support/member-leaderboard.fold.ts),
// not SQL, on a generated history cut into small batches: corrected, rejected and late work, shifts
// outside their campaign's dates and window, erased members.
describe('member leaderboards from kept figures, against a fold of the stored events', () => {
  let f: Fixture;
  let district: string;

  type Board = { metric: MemberLeaderboardQuery['metric']; campaignId?: string; unitId?: string };
  type Period = { from?: string; to?: string; tz?: string };
  const periods: Record<string, Period> = {
    'no period': {},
    'dates in Asia/Ho_Chi_Minh': { from: '2025-01-09', to: '2025-01-13' },
    'the same dates in Asia/Kathmandu (+05:45)': {
      from: '2025-01-09',
      to: '2025-01-13',
      tz: 'Asia/Kathmandu',
    },
    'instants inside quarter hours': {
      from: '2025-01-09T10:07:13.250+07:00',
      to: '2025-01-13T15:52:41.500+07:00',
    },
    'instants inside one quarter hour': {
      from: '2025-01-10T09:01:00+07:00',
      to: '2025-01-10T09:14:00+07:00',
    },
    'from an instant on': { from: '2025-01-11T19:23:00+07:00' },
    'a season of dates, up to a date': { from: '2025-01-05', to: '2025-03-01' },
    'up to an instant': { to: '2025-02-07T12:00:00Z' },
  };
  const boards = (): Board[] =>
    (['citizensAssisted', 'verifiedHours'] as const).flatMap((metric) =>
      [undefined, 's3-c0', 's3-c1'].flatMap((campaignId) =>
        [undefined, district].map((unitId) => ({ metric, campaignId, unitId })),
      ),
    );

  /** Every board in every period, as kept and as folded; `name` says which. */
  const answers = async () => {
    await f.settle();
    const schema = await f.schema(READS.leaderboards);
    const facts = await foldStoredEvents(f.pool);
    const found: { name: string; kept: unknown; folded: unknown }[] = [];
    for (const [name, period] of Object.entries(periods))
      for (const board of boards()) {
        const range = resolvePeriod(period);
        const kept = await memberLeaderboard(f.pool, schema, { ...board, ...range, limit: 1_000 });
        found.push({
          name: `${name} ${JSON.stringify(board)}`,
          kept: kept.map(({ rank, memberId, unitId, erased, value }) => ({
            rank,
            memberId,
            unitId,
            erased,
            value,
          })),
          folded: boardFromFold(facts, { ...board, ...range }),
        });
      }
    return { found, facts };
  };
  const expectEqual = (found: { name: string; kept: unknown; folded: unknown }[]) => {
    for (const { name, kept, folded } of found)
      expect({ name, board: kept }).toEqual({ name, board: folded });
  };

  beforeAll(async () => {
    f = await projectionFixture('proj_member_periods', { batchSize: 97 });
    const appended = await appendWaves(
      f.store,
      activityWaves({
        targetEvents: 4_000,
        members: 50,
        campaigns: 2,
        concurrentShifts: 40,
        seed: 3,
        idPrefix: 's3-',
        erasures: 3,
      }),
    );
    f.track(appended.lastPosition);
    const { rows } = await f.pool.query<{ id: string }>(
      `SELECT data->>'unitId' AS id FROM events WHERE type = 'UnitRegistered' AND data->>'parentId' IS NOT NULL ORDER BY global_position LIMIT 1`,
    );
    district = rows[0]!.id;
    // a few minutes around some generated assistance: a period inside one or two quarters, not empty
    const at = await f.pool.query<{ at: string }>(
      `SELECT data->>'occurredAt' AS at FROM events WHERE type = 'CitizenAssisted' ORDER BY global_position OFFSET 500 LIMIT 1`,
    );
    const ms = Date.parse(at.rows[0]!.at);
    periods['minutes around an assistance'] = {
      from: new Date(ms - 170_000).toISOString(),
      to: new Date(ms + 130_001).toISOString(),
    };
  });
  afterAll(() => f.close());

  it('given a generated history, every board in every period equals the fold', async () => {
    const { found, facts } = await answers();

    // the history holds what makes the rules matter
    for (const type of ['ShiftCorrected', 'ShiftRejected', 'ShiftVerified', 'MemberDataErased'])
      expect(facts.types.get(type)).toBeGreaterThan(0);
    expectEqual(found);
    // and the boards compared are not empty ones: every period ranks someone overall
    const overall = (name: string) =>
      found.find((b) => b.name === `${name} {"metric":"citizensAssisted"}`)!.kept as unknown[];
    const empty = Object.keys(periods).filter((name) => !overall(name).length);
    expect(empty).toEqual(['instants inside one quarter hour']); // the last test fills it
  });

  it('given the same history, the first ranks of a board without a period equal the fold, ties included', async () => {
    await f.settle();
    const schema = await f.schema(READS.leaderboards);
    const facts = await foldStoredEvents(f.pool);

    for (const board of boards())
      for (const limit of [1, 3, 7]) {
        const kept = await memberLeaderboard(f.pool, schema, { ...board, limit });
        const folded = boardFromFold(facts, board).slice(0, limit);
        expect({
          board,
          limit,
          kept: kept.map(({ rank, memberId, value }) => ({ rank, memberId, value })),
        }).toEqual({
          board,
          limit,
          kept: folded.map(({ rank, memberId, value }) => ({ rank, memberId, value })),
        });
      }
  });

  it('when a campaign is extended, the work inside its new dates counts for it', async () => {
    const before = await answers();

    await scenario(f).extend('s3-c0', '2025-01-16');
    const after = await answers();

    expectEqual(after.found);
    const c0 = (a: typeof before) =>
      a.found.find(
        (b) => b.name === 'no period {"metric":"citizensAssisted","campaignId":"s3-c0"}',
      )!.kept as { value: number }[];
    const sum = (board: { value: number }[]) => board.reduce((n, e) => n + e.value, 0);
    expect(sum(c0(after))).toBeGreaterThan(sum(c0(before)));
  });

  it('when assistance, a rejection and a correction share batches, the boards follow', async () => {
    const given = scenario(f);
    await given.member('p-m1', district);
    for (const [shift, at] of [
      ['p-s1', '2025-01-10T09:05:00+07:00'],
      ['p-s2', '2025-01-10T09:40:00+07:00'],
    ] as const) {
      await given.start(shift, 'p-m1', '2025-01-10T08:58:00+07:00', 's3-c1');
      await given.assist(shift, 'p-m1', at, 40, 'eid_activation', 's3-c1');
      await given.end(shift, '2025-01-10T11:00:00+07:00');
    }
    await given.reject('p-s1');
    await given.verify('p-s2');
    const { found } = await answers();
    await given.correct('p-s1', { startedAt: '2025-01-10T09:20:00+07:00' });
    await given.verify('p-s1');
    const corrected = await answers();

    expectEqual([...found, ...corrected.found]);
    const p1 = (a: typeof found) =>
      (
        a.find((b) => b.name === 'instants inside one quarter hour {"metric":"citizensAssisted"}')!
          .kept as { memberId: string; value: number }[]
      ).find((e) => e.memberId === 'p-m1');
    expect(p1(found)).toBeUndefined(); // p-s1 rejected, and p-s2's assistance (09:40) is outside
    expect(p1(corrected.found)).toMatchObject({ value: 40 });
  });
});
