import { campaignProgress, READS } from '#projections';
import { activityWaves, appendWaves } from '../../libs/projections/src/demo/activity-generator.js';
import { campaignProgressFromFacts } from './support/campaign-progress.facts.js';
import { projectionFixture, type Fixture } from './support/projection-fixture.js';
import { scenario } from './support/scenario.js';

// Campaign progress is read from counters its projection moves by deltas. The reference is the
// same answer aggregated from the facts at read time (support/campaign-progress.facts.ts, the query
// this replaced): on generated histories, with corrections, verifications, rejections, late and
// out-of-window work, batches that cut shifts in two, and campaigns extended afterwards.
describe('campaign progress counters', () => {
  let f: Fixture;
  let campaigns: string[];

  const compare = async (campaignId: string) => {
    await f.settle();
    const schema = await f.schema(READS.campaignProgress);
    return {
      counters: await campaignProgress(f.pool, schema, campaignId),
      facts: await campaignProgressFromFacts(f.pool, schema, campaignId),
    };
  };

  beforeAll(async () => {
    f = await projectionFixture('proj_counters', { batchSize: 97 });
    for (const seed of [3, 5]) {
      const appended = await appendWaves(
        f.store,
        activityWaves({
          targetEvents: 3_000,
          members: 50,
          campaigns: 3,
          concurrentShifts: 30,
          seed,
          idPrefix: `s${seed}-`,
        }),
      );
      f.track(appended.lastPosition);
    }
    const { rows } = await f.pool.query<{ id: string }>(
      `SELECT DISTINCT data->>'campaignId' AS id FROM events WHERE type = 'CampaignLaunched' ORDER BY 1`,
    );
    campaigns = rows.map((r) => r.id);
  });
  afterAll(() => f.close());

  it('answers every generated campaign exactly as the facts do', async () => {
    expect(campaigns).toHaveLength(6);
    for (const id of campaigns) {
      const { counters, facts } = await compare(id);
      expect(counters).toEqual(facts);
      expect(counters!.totals.citizensAssisted).toBeGreaterThan(0);
    }
    const { rows } = await f.pool.query<{ type: string; n: number }>(
      `SELECT type, count(*)::int AS n FROM events WHERE type IN ('ShiftCorrected', 'ShiftRejected', 'ShiftVerified') GROUP BY 1`,
    );
    expect(rows.map((r) => r.type).sort()).toEqual([
      'ShiftCorrected',
      'ShiftRejected',
      'ShiftVerified',
    ]);
  });

  it('moves a shift between counters as it is corrected, rejected, corrected back and its campaign extended', async () => {
    const given = scenario(f);
    await given.unit('cw');
    await given.member('cm1', 'cw');
    await given.member('cm2', 'cw');
    await given.campaign('cx', 'cw');
    await given.start('cx-1', 'cm1', '2025-08-15T20:00:00+07:00', 'cx');
    await given.assist('cx-1', 'cm1', '2025-08-15T21:00:00+07:00', 4, 'eid_activation', 'cx');
    await given.assist('cx-1', 'cm1', '2025-08-16T08:00:00+07:00', 2, 'e_payment', 'cx');
    await given.end('cx-1', '2025-08-16T09:00:00+07:00');
    await given.start('cx-2', 'cm2', '2025-08-16T07:30:00+07:00', 'cx');
    await given.end('cx-2', '2025-08-16T10:00:00+07:00');
    const before = await compare('cx');
    expect(before.counters).toEqual(before.facts);
    expect(before.counters!.outOfWindow).toEqual({
      assistanceEvents: 1,
      citizensAssisted: 2,
      shifts: 1,
    });

    await given.reject('cx-1');
    const rejected = await compare('cx');
    await given.correct('cx-1', { startedAt: '2025-08-15T18:00:00+07:00' });
    await given.verify('cx-1');
    const corrected = await compare('cx');
    await given.extend('cx', '2025-08-16');
    const extended = await compare('cx');

    expect(rejected.counters).toEqual(rejected.facts);
    expect(rejected.counters!.totals.citizensAssisted).toBe(0);
    expect(rejected.counters!.totals.distinctVolunteers).toBe(0);
    expect(corrected.counters).toEqual(corrected.facts);
    expect(corrected.counters!.totals).toMatchObject({ citizensAssisted: 4, verifiedHours: 4 });
    expect(extended.counters).toEqual(extended.facts);
    expect(extended.counters!.totals).toMatchObject({
      citizensAssisted: 6,
      volunteerTurns: 2,
      distinctVolunteers: 2,
    });
    expect(extended.counters!.outOfWindow).toEqual({
      assistanceEvents: 0,
      citizensAssisted: 0,
      shifts: 0,
    });
  });
});
