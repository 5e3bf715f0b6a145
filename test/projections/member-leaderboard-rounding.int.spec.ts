import {
  auditMemberHours,
  campaignProgress,
  memberLeaderboard,
  READS,
  unitSummary,
  type MemberLeaderboardQuery,
} from '#projections';
import { projectionFixture, type Fixture } from './support/projection-fixture.js';
import { scenario } from './support/scenario.js';

// A board ranks members by their value rounded half up to hundredths of an hour, computed exactly
// from whole microseconds (member-top-totals.sql.ts). The value it shows must be that same rounded
// figure: 34 min 30 s is exactly 0.575 h, which ranks as 0.58, and was shown as 0.57 (0.575 is
// 0.57499… in binary floating point), beside a 0.58 h member with the same rank.
describe('member leaderboard values are the figures the ranks compare', () => {
  let f: Fixture;

  beforeAll(async () => {
    f = await projectionFixture('proj_member_rounding');
  });
  afterAll(() => f.close());

  it('given verified shifts of exactly 0.575 h and 0.58 h, when any board is read, then members sharing a rank show the same value', async () => {
    // given: two members of one ward, one verified shift each inside the campaign's window
    const given = scenario(f);
    await given.unit('rw');
    await given.campaign('r-c', 'rw');
    for (const [member, endedAt] of [
      ['r-half', '2025-08-10T08:34:30+07:00'], // 0.575 h exactly
      ['r-full', '2025-08-10T08:34:48+07:00'], // 0.58 h exactly
    ] as const) {
      await given.member(member, 'rw');
      await given.start(`${member}-s`, member, '2025-08-10T08:00:00+07:00', 'r-c');
      await given.end(`${member}-s`, endedAt);
      await given.verify(`${member}-s`);
    }
    await f.settle();
    const schema = await f.schema(READS.leaderboards);

    // when: the board overall, per campaign, per period and per subtree
    const queries: MemberLeaderboardQuery[] = [
      { metric: 'verifiedHours', limit: 20 },
      { metric: 'verifiedHours', campaignId: 'r-c', limit: 20 },
      { metric: 'verifiedHours', unitId: 'rw', limit: 20 },
      {
        metric: 'verifiedHours',
        from: '2025-08-09T17:00:00Z',
        to: '2025-08-10T17:00:00Z',
        limit: 20,
      },
      {
        metric: 'verifiedHours',
        campaignId: 'r-c',
        unitId: 'rw',
        from: '2025-08-10T00:00:00Z',
        limit: 20,
      },
    ];
    for (const q of queries) {
      const board = (await memberLeaderboard(f.pool, schema, q)).filter((e) =>
        e.memberId.startsWith('r-'),
      );

      // then: both share rank 1 and show 0.58, half up as they are ranked
      expect({ q, board: board.map((e) => [e.memberId, e.rank, e.value]) }).toEqual({
        q,
        board: [
          ['r-full', 1, 0.58],
          ['r-half', 1, 0.58],
        ],
      });
    }
  });

  it('given shifts of 0.575 h and 0.43 h, when progress, the unit summary and audit hours are read, then their hours are rounded as the board rounds them', async () => {
    // given: a member of another ward with two verified shifts in another campaign, 1.005 h in all
    const given = scenario(f);
    await given.unit('rw2');
    await given.campaign('r-c2', 'rw2');
    await given.member('r-more', 'rw2');
    for (const [shift, startedAt, endedAt] of [
      ['r-more-1', '2025-08-10T08:00:00+07:00', '2025-08-10T08:34:30+07:00'], // 0.575 h
      ['r-more-2', '2025-08-10T09:00:00+07:00', '2025-08-10T09:25:48+07:00'], // 0.43 h
    ] as const) {
      await given.start(shift, 'r-more', startedAt, 'r-c2');
      await given.end(shift, endedAt);
      await given.verify(shift);
    }
    await f.settle();

    // when: the board and every other route that shows these hours
    const [entry] = await memberLeaderboard(f.pool, await f.schema(READS.leaderboards), {
      metric: 'verifiedHours',
      unitId: 'rw2',
      limit: 20,
    });
    const progress = await campaignProgress(f.pool, await f.schema(READS.campaignProgress), 'r-c2');
    const summary = await unitSummary(f.pool, await f.schema(READS.unitRollups), 'rw2');
    const audit = await auditMemberHours(f.pool, await f.schema(READS.auditTrail), {
      memberId: 'r-more',
    });

    // then: 1.005 h is 1.01 and 0.575 h is 0.58 everywhere, half up on the exact value, as the board
    // ranks and shows them (a float of the hours rounded gave 1.00 and 0.57)
    expect({
      board: entry!.value,
      progress: [progress!.totals.hours, progress!.totals.verifiedHours],
      day: progress!.byDay.find((d) => d.date === '2025-08-10')!.hours,
      goal: progress!.goals.verifiedHours!.reached,
      summary: summary!.verifiedHours,
      audit: [audit!.verifiedHours, audit!.shifts.map((s) => s.hours)],
    }).toEqual({
      board: 1.01,
      progress: [1.01, 1.01],
      day: 1.01,
      goal: 1.01,
      summary: 1.01,
      audit: [1.01, [0.58, 0.43]],
    });
  });
});
