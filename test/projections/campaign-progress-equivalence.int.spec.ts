import { campaignProgress, READS } from '#projections';
import { activityWaves, appendWaves } from '../../libs/projections/src/demo/activity-generator.js';
import { progressFromLog, readLog } from './support/campaign-progress.log-fold.js';
import { projectionFixture, type Fixture } from './support/projection-fixture.js';
import { scenario } from './support/scenario.js';

// Issue 10 point 1: campaign progress answered from the rows its projection keeps equals an
// independent computation over the stored events (a plain fold of the log, support/
// campaign-progress.log-fold.ts), on a generated history with corrected, rejected, verified and
// out-of-window work, erasures, campaigns extended while and after shifts were recorded, and
// batches of 97 events that cut shifts in two. The card-drive seed is compared the same way in
// campaign-progress-card-drive.e2e.spec.ts.
describe('campaign progress read model against a fold of the log', () => {
  let f: Fixture;

  beforeAll(async () => {
    f = await projectionFixture('proj_cp_equiv', { batchSize: 97 });
  });
  afterAll(() => f.close());

  const answersFor = async (ids: string[]) => {
    await f.settle();
    const schema = await f.schema(READS.campaignProgress);
    const log = await readLog(f.store);
    const answers = [];
    for (const id of ids)
      answers.push({
        id,
        readModel: await campaignProgress(f.pool, schema, id),
        fromLog: progressFromLog(log, id),
      });
    return { answers, log };
  };

  it('given generated histories with extensions, when the runner has applied them, then every campaign answers as the log says', async () => {
    // given: two generated histories (corrections, verifications, rejections, late and
    // out-of-window work, erasures), then every other campaign extended by five days
    const campaigns: string[] = [];
    for (const seed of [7, 11]) {
      const prefix = `q${seed}-`;
      const appended = await appendWaves(
        f.store,
        activityWaves({
          targetEvents: 2_500,
          members: 40,
          campaigns: 3,
          concurrentShifts: 25,
          seed,
          idPrefix: prefix,
        }),
      );
      f.track(appended.lastPosition);
    }
    const { rows } = await f.pool.query<{ id: string; end: string }>(
      `SELECT data->>'campaignId' AS id, data->>'endDate' AS "end" FROM events WHERE type = 'CampaignLaunched' ORDER BY 1`,
    );
    campaigns.push(...rows.map((r) => r.id));
    const given = scenario(f);
    for (const { id, end } of rows.filter((_, i) => i % 2 === 0)) {
      const later = new Date(Date.parse(end) + 5 * 86_400_000).toISOString().slice(0, 10);
      await given.extend(id, later);
    }

    // when
    const { answers, log } = await answersFor(campaigns);

    // then
    expect(answers).toHaveLength(6);
    for (const { id, readModel, fromLog } of answers) {
      expect({ id, answer: readModel }).toEqual({ id, answer: fromLog });
      expect(readModel!.totals.citizensAssisted).toBeGreaterThan(0);
    }
    const types = new Set(log.map((e) => e.type));
    for (const type of [
      'ShiftCorrected',
      'ShiftRejected',
      'ShiftVerified',
      'MemberDataErased',
      'CampaignExtended',
    ])
      expect(types).toContain(type);
    expect(answers.some((a) => a.readModel!.outOfWindow.assistanceEvents > 0)).toBe(true);
  });

  it('given a shift moved by every kind of event, when each lands, then the answer follows the log after each', async () => {
    // given
    const given = scenario(f);
    await given.unit('qw');
    await given.member('qm1', 'qw');
    await given.member('qm2', 'qw');
    await given.campaign('qx', 'qw', { dailyWindow: { from: '07:00', to: '24:00' } });
    const steps: [string, () => Promise<unknown>][] = [
      [
        'a shift across midnight',
        () => given.start('qx-1', 'qm1', '2025-08-14T21:00:00+07:00', 'qx'),
      ],
      [
        'assistance inside',
        () => given.assist('qx-1', 'qm1', '2025-08-14T23:00:00+07:00', 3, 'eid_activation', 'qx'),
      ],
      [
        'assistance after the window',
        () => given.assist('qx-1', 'qm1', '2025-08-15T02:00:00+07:00', 2, 'e_payment', 'qx'),
      ],
      ['its end, after the last date', () => given.end('qx-1', '2025-08-16T09:00:00+07:00')],
      [
        'a second volunteer, open',
        () => given.start('qx-2', 'qm2', '2025-08-15T06:30:00+07:00', 'qx'),
      ],
      [
        'assistance of the open shift',
        () => given.assist('qx-2', 'qm2', '2025-08-15T08:00:00+07:00', 5, 'eid_activation', 'qx'),
      ],
      ['a rejection', () => given.reject('qx-1')],
      [
        'a correction after the rejection',
        () => given.correct('qx-1', { startedAt: '2025-08-14T20:00:00+07:00' }),
      ],
      ['a verification', () => given.verify('qx-1')],
      ['an extension', () => given.extend('qx', '2025-08-17')],
      ['the member erased', () => given.erase('qm1')],
      [
        'the open shift ended and rejected',
        async () => {
          await given.end('qx-2', '2025-08-15T12:00:00+07:00');
          await given.reject('qx-2');
        },
      ],
    ];
    for (const [step, append] of steps) {
      // when
      await append();
      const [{ readModel, fromLog }] = (await answersFor(['qx'])).answers;
      // then
      expect({ step, answer: readModel }).toEqual({ step, answer: fromLog });
    }
    const [{ readModel: last }] = (await answersFor(['qx'])).answers;
    expect(last!.totals).toMatchObject({
      citizensAssisted: 3,
      volunteerTurns: 1,
      distinctVolunteers: 1,
    });
    expect(last!.outOfWindow).toEqual({ assistanceEvents: 1, citizensAssisted: 2, shifts: 0 });
    expect(last!.totals.verifiedHours).toBeGreaterThan(0);
  });
});
