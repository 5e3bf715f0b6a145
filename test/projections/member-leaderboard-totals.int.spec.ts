import { memberLeaderboard, READS, type MemberLeaderboardQuery } from '#projections';
import { activityWaves, appendWaves } from '../../libs/projections/src/demo/activity-generator.js';
import { memberLeaderboardFromFacts } from './support/member-leaderboard.facts.js';
import { projectionFixture, type Fixture } from './support/projection-fixture.js';
import { scenario } from './support/scenario.js';

// Without a period, the member leaderboards read per-member totals the projection keeps (overall and
// per campaign). The reference sums the facts at read time (support/member-leaderboard.facts.ts, the
// query this replaced), on a generated history cut into small batches, and after a hand sequence of
// a rejection, a correction and a verification.
describe('member leaderboards from per-member totals', () => {
  let f: Fixture;
  let district: string;

  const compareAll = async () => {
    await f.settle();
    const schema = await f.schema(READS.leaderboards);
    const boards: { counters: unknown; facts: unknown }[] = [];
    for (const metric of ['citizensAssisted', 'verifiedHours'] as const)
      for (const campaignId of [undefined, 's9-c0', 'lb-c'])
        for (const unitId of [undefined, district]) {
          const q: MemberLeaderboardQuery = { metric, campaignId, unitId, limit: 1_000 };
          boards.push({
            counters: await memberLeaderboard(f.pool, schema, q),
            facts: await memberLeaderboardFromFacts(f.pool, schema, q),
          });
        }
    return boards;
  };

  beforeAll(async () => {
    f = await projectionFixture('proj_member_totals', { batchSize: 89 });
    const appended = await appendWaves(
      f.store,
      activityWaves({
        targetEvents: 3_000,
        members: 40,
        campaigns: 2,
        concurrentShifts: 30,
        seed: 9,
        idPrefix: 's9-',
      }),
    );
    f.track(appended.lastPosition);
    const { rows } = await f.pool.query<{ id: string }>(
      `SELECT data->>'unitId' AS id FROM events WHERE type = 'UnitRegistered' AND data->>'parentId' IS NOT NULL ORDER BY global_position LIMIT 1`,
    );
    district = rows[0]!.id;
  });
  afterAll(() => f.close());

  it('ranks every board exactly as the facts do, ties included', async () => {
    const boards = await compareAll();

    for (const { counters, facts } of boards) expect(counters).toEqual(facts);
    const overall = boards[0]!.counters as { rank: number }[];
    expect(overall.length).toBeGreaterThan(20);
    expect(new Set(overall.map((e) => e.rank)).size).toBeLessThan(overall.length); // shared ranks
  });

  // a subtree's board reads the head of the ranking when the subtree fills it, else the subtree's
  // own range (leaderboards/member-top-totals.sql.ts): short boards over every unit take both ways
  it('given every unit, when its short boards are read, then each ranks as the facts do', async () => {
    await f.settle();
    const schema = await f.schema(READS.leaderboards);
    const { rows: units } = await f.pool.query<{ id: string }>(
      `SELECT data->>'unitId' AS id FROM events WHERE type = 'UnitRegistered' ORDER BY global_position`,
    );
    const sizes = { full: 0, short: 0 };
    for (const unitId of [...units.map((u) => u.id), 'no-such-unit'])
      for (const metric of ['citizensAssisted', 'verifiedHours'] as const)
        for (const campaignId of [undefined, 's9-c0']) {
          const q: MemberLeaderboardQuery = { metric, campaignId, unitId, limit: 3 };
          const counters = await memberLeaderboard(f.pool, schema, q);

          expect(counters).toEqual(await memberLeaderboardFromFacts(f.pool, schema, q));
          if (unitId === 'no-such-unit') expect(counters).toEqual([]);
          else sizes[counters.length === 3 ? 'full' : 'short'] += 1;
        }
    expect(sizes.full).toBeGreaterThan(0);
    expect(sizes.short).toBeGreaterThan(0);
  });

  it('follows a shift as it is rejected, corrected back and verified', async () => {
    const given = scenario(f);
    await given.unit('lbw', district);
    await given.member('lb1', 'lbw');
    await given.member('lb2', 'lbw');
    await given.campaign('lb-c', 'lbw');
    for (const [shift, member] of [
      ['lb-s1', 'lb1'],
      ['lb-s2', 'lb2'],
    ]) {
      await given.start(shift, member, '2025-08-10T08:00:00+07:00', 'lb-c');
      await given.assist(shift, member, '2025-08-10T09:00:00+07:00', 5, 'eid_activation', 'lb-c');
      await given.end(shift, '2025-08-10T11:00:00+07:00');
      await given.verify(shift);
    }
    const tied = await compareAll();
    await given.reject('lb-s1');
    const rejected = await compareAll();
    await given.correct('lb-s1', { endedAt: '2025-08-10T12:00:00+07:00' });
    await given.verify('lb-s1');
    const corrected = await compareAll();

    for (const { counters, facts } of [...tied, ...rejected, ...corrected])
      expect(counters).toEqual(facts);
    const campaignBoard = (boards: typeof tied, i: number) =>
      (boards[i]!.counters as { memberId: string; rank: number; value: number }[]).map((e) => [
        e.memberId,
        e.rank,
        e.value,
      ]);
    // boards[4]: citizens in lb-c; boards[10]: verified hours in lb-c (metric × campaign × unit)
    expect(campaignBoard(tied, 4)).toEqual([
      ['lb1', 1, 5],
      ['lb2', 1, 5],
    ]);
    expect(campaignBoard(rejected, 4)).toEqual([['lb2', 1, 5]]);
    expect(campaignBoard(corrected, 10)).toEqual([
      ['lb1', 1, 4],
      ['lb2', 2, 3],
    ]);
  });
});
