import { memberLeaderboard, READS, unitLeaderboard, unitSummary } from '#projections';
import { projectionFixture, type Fixture } from './support/projection-fixture.js';
import { scenario } from './support/scenario.js';

describe('leaderboards and unit roll-ups', () => {
  let f: Fixture;
  let given: ReturnType<typeof scenario>;
  const schema = async () => {
    await f.settle();
    return f.schema(READS.leaderboards);
  };

  beforeAll(async () => {
    f = await projectionFixture('proj_boards');
    given = scenario(f);
    // district d1 > wards w1, w2 > branch b1 (under w1)
    await given.unit('d1', null, 'district');
    await given.unit('w1', 'd1');
    await given.unit('w2', 'd1');
    await given.unit('b1', 'w1', 'branch');
    await given.member('m1', 'b1', 'Nguyễn Văn An');
    await given.member('m2', 'w1', 'Trần Thị Bình');
    await given.member('m3', 'w2', 'Lê Văn Cường');
    await given.member('m4', 'w2', 'Phạm Thị Dung');
    await given.campaign('c1', 'd1');
    // verified hours: m1 4h, m2 3h, m3 3h, m4 1h  → ranks 1, 2, 2, 4
    const shifts: [string, string, string, string][] = [
      ['s1', 'm1', '2025-08-09T08:00:00+07:00', '2025-08-09T12:00:00+07:00'],
      ['s2', 'm2', '2025-08-09T08:00:00+07:00', '2025-08-09T11:00:00+07:00'],
      ['s3', 'm3', '2025-08-10T05:00:00+07:00', '2025-08-10T08:00:00+07:00'], // 2 h before the window
      ['s4', 'm4', '2025-08-10T09:00:00+07:00', '2025-08-10T10:00:00+07:00'],
    ];
    for (const [shift, member, start, end] of shifts) {
      await given.start(shift, member, start);
      await given.end(shift, end);
      await given.verify(shift);
    }
    await given.start('s5', 'm4', '2025-08-11T09:00:00+07:00');
    await given.end('s5', '2025-08-11T19:00:00+07:00'); // pending: not on the verified board
    await given.assist('s1', 'm1', '2025-08-09T09:00:00+07:00', 10);
    await given.assist('s2', 'm2', '2025-08-09T09:00:00+07:00', 4);
    await given.assist('s3', 'm3', '2025-08-10T06:00:00+07:00', 20); // outside the window
    await given.assist('s4', 'm4', '2025-08-10T09:30:00+07:00', 6);
    await given.club('k1', 'b1');
    await given.club('k2', 'w2');
    await given.club('k3', 'w2');
    await given.post('p1', 'w1', '2025-08-09T10:00:00+07:00');
  });
  afterAll(() => f.close());

  it('ranks members by verified hours with shared ranks (1, 2, 2, 4), pending shifts left out', async () => {
    const board = await memberLeaderboard(f.pool, await schema(), {
      metric: 'verifiedHours',
      limit: 20,
    });

    expect(board.map((e) => [e.rank, e.memberId, e.value])).toEqual([
      [1, 'm1', 4],
      [2, 'm2', 3],
      [2, 'm3', 3],
      [4, 'm4', 1],
    ]);
    expect(board[0]).toMatchObject({ displayName: 'Nguyễn Văn An', unitId: 'b1' });
  });

  it('with a campaign, counts hours clipped to the daily window and assistance inside it', async () => {
    const s = await schema();
    const hours = await memberLeaderboard(f.pool, s, {
      metric: 'verifiedHours',
      campaignId: 'c1',
      limit: 20,
    });
    const citizens = await memberLeaderboard(f.pool, s, {
      metric: 'citizensAssisted',
      campaignId: 'c1',
      limit: 20,
    });
    const overall = await memberLeaderboard(f.pool, s, { metric: 'citizensAssisted', limit: 20 });

    expect(hours.map((e) => [e.rank, e.memberId, e.value])).toEqual([
      [1, 'm1', 4],
      [2, 'm2', 3],
      [3, 'm3', 1],
      [3, 'm4', 1],
    ]);
    expect(citizens.map((e) => [e.memberId, e.value])).toEqual([
      ['m1', 10],
      ['m4', 6],
      ['m2', 4],
    ]);
    expect(overall[0]).toMatchObject({ rank: 1, memberId: 'm3', value: 20 });
  });

  it("restricts to a unit's subtree and to a period (dates in Asia/Ho_Chi_Minh)", async () => {
    const s = await schema();
    const w1 = await memberLeaderboard(f.pool, s, {
      metric: 'verifiedHours',
      unitId: 'w1',
      limit: 20,
    });
    const day10 = await memberLeaderboard(f.pool, s, {
      metric: 'verifiedHours',
      from: '2025-08-09T17:00:00.000Z',
      to: '2025-08-10T17:00:00.000Z',
      limit: 20,
    });

    expect(w1.map((e) => e.memberId)).toEqual(['m1', 'm2']);
    expect(day10.map((e) => [e.rank, e.memberId])).toEqual([
      [1, 'm3'],
      [2, 'm4'],
    ]);
  });

  it("counts citizens the same from the shifts' running sums as from the assistance rows", async () => {
    const s = await schema();
    // without a period the board sums each shift's citizens; with one it reads every assistance row
    const summed = await memberLeaderboard(f.pool, s, { metric: 'citizensAssisted', limit: 20 });
    const fromRows = await memberLeaderboard(f.pool, s, {
      metric: 'citizensAssisted',
      from: '2000-01-01T00:00:00Z',
      to: '2100-01-01T00:00:00Z',
      limit: 20,
    });

    expect(summed.length).toBeGreaterThan(2);
    expect(summed).toEqual(fromRows);
  });

  it('shows an erased member as erased', async () => {
    await given.erase('m2');
    const board = await memberLeaderboard(f.pool, await schema(), {
      metric: 'verifiedHours',
      limit: 20,
    });

    expect(board.find((e) => e.memberId === 'm2')).toMatchObject({
      displayName: '(erased)',
      erased: true,
      value: 3,
    });
  });

  it('ranks sibling units by figures over their subtree, and sums a unit over its whole subtree', async () => {
    const s = await schema();
    const byCitizens = await unitLeaderboard(f.pool, s, {
      metric: 'citizensAssisted',
      parentId: 'd1',
      limit: 20,
    });
    const byClubs = await unitLeaderboard(f.pool, s, {
      metric: 'clubs',
      parentId: 'd1',
      limit: 20,
    });
    const w1 = await unitSummary(f.pool, s, 'w1');
    const d1 = await unitSummary(f.pool, s, 'd1');

    expect(byCitizens.map((e) => [e.rank, e.unitId, e.value])).toEqual([
      [1, 'w2', 26],
      [2, 'w1', 14],
    ]);
    expect(byClubs.map((e) => [e.rank, e.unitId, e.value])).toEqual([
      [1, 'w2', 2],
      [2, 'w1', 1],
    ]);
    expect(w1).toMatchObject({
      members: 2,
      clubs: 1,
      posts: 1,
      citizensAssisted: 14,
      verifiedHours: 7,
      subunits: 1,
    });
    expect(d1).toMatchObject({
      members: 4,
      clubs: 3,
      posts: 1,
      citizensAssisted: 40,
      verifiedHours: 11,
      subunits: 3,
    });
  });
});
