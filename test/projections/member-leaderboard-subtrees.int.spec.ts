import { memberLeaderboard, READS, resolvePeriod } from '#projections';
import { projectionFixture, type Fixture } from './support/projection-fixture.js';
import { scenario } from './support/scenario.js';

// A period board reads member_figures by key: a subtree is a range of the members' unit path keys
// (leaderboards/member-subtree.sql.ts), a date of Asia/Ho_Chi_Minh one day row
// (leaderboards/member-buckets.ts). What the equivalence suites' generated units never hold: sibling
// units whose ids begin with another's, and work in the hours where the UTC and the local date differ.
describe('member boards over a period, by subtree key and local day', () => {
  let f: Fixture;
  const week = resolvePeriod({ from: '2025-08-09', to: '2025-08-15' });
  const board = async (unitId: string, period = week) => {
    await f.settle();
    const schema = await f.schema(READS.leaderboards);
    const entries = await memberLeaderboard(f.pool, schema, {
      metric: 'citizensAssisted',
      unitId,
      ...period,
      limit: 20,
    });
    return entries.map(({ rank, memberId, value }) => ({ rank, memberId, value }));
  };

  beforeAll(async () => {
    f = await projectionFixture('proj_member_subtrees');
    const given = scenario(f);
    // p > d1 > d1w, and beside d1 two districts whose ids begin with "d1"
    await given.unit('p', null, 'province');
    for (const district of ['d1', 'd10', 'd1.x']) await given.unit(district, 'p', 'district');
    await given.unit('d1w', 'd1');
    await given.campaign('c1', 'p');
    const work: [string, string, string, number][] = [
      ['m-ward', 'd1w', '2025-08-10T06:30:00+07:00', 5], // 23:30 UTC on the 9th
      ['m-district', 'd1', '2025-08-11T09:00:00+07:00', 3],
      ['m-d10', 'd10', '2025-08-11T09:00:00+07:00', 9],
      ['m-d1x', 'd1.x', '2025-08-11T09:00:00+07:00', 7],
    ];
    for (const [member, unit, at, citizens] of work) {
      await given.member(member, unit);
      await given.start(`s-${member}`, member, at);
      await given.assist(`s-${member}`, member, at, citizens);
    }
  });
  afterAll(() => f.close());

  it('given districts whose ids begin with d1, when the d1 board is read, then only its subtree ranks', async () => {
    const d1 = await board('d1');
    const province = await board('p');

    expect(d1).toEqual([
      { rank: 1, memberId: 'm-ward', value: 5 },
      { rank: 2, memberId: 'm-district', value: 3 },
    ]);
    expect(province.map((e) => e.memberId)).toEqual(['m-d10', 'm-d1x', 'm-ward', 'm-district']);
    expect(await board('d10')).toEqual([{ rank: 1, memberId: 'm-d10', value: 9 }]);
  });

  it('given work at 06:30 local time, when its date is read, then it counts from one local day row', async () => {
    const day = await board('d1w', resolvePeriod({ from: '2025-08-10', to: '2025-08-10' }));
    const dayBefore = await board('d1w', resolvePeriod({ from: '2025-08-09', to: '2025-08-09' }));

    expect(day).toEqual([{ rank: 1, memberId: 'm-ward', value: 5 }]);
    expect(dayBefore).toEqual([]);
    const schema = await f.schema(READS.leaderboards);
    const { rows } = await f.pool.query<{ bucket: Date; path_key: string }>(
      `SELECT bucket, path_key FROM ${schema}.member_figures WHERE member_id = 'm-ward' AND grain = 'd'`,
    );
    // the day starts at midnight in Asia/Ho_Chi_Minh, and the row is keyed by the member's unit path
    expect(rows).toEqual([
      { bucket: new Date('2025-08-10T00:00:00+07:00'), path_key: 'p/d1/d1w/' },
    ]);
  });
});
