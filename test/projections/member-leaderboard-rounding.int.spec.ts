import { memberLeaderboard, READS, type MemberLeaderboardQuery } from '#projections';
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
});
