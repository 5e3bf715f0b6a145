import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticOptions } from '#projections';
import { activityWaves } from '../../libs/projections/src/demo/activity-generator.js';
import { createTestDatabase } from '../harness/database.js';
import { logOf, seedCli, summaryOf } from './support/seed-synthetic-log.js';

const SEED = 21;
const args = ['synthetic', '--events', '3000', '--seed', String(SEED)];

/** Given a log holding the whole 3000-event history of seed 21 (written by the command line). */
describe('npm run cli -- seed synthetic on a log holding that seed: refusals, and --resume of another seed', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataDir: string;
  const cli = (more: string[]) => seedCli(db.url, dataDir, more);

  beforeAll(async () => {
    db = await createTestDatabase('proj_resume_refusals');
    dataDir = mkdtempSync(join(tmpdir(), 'synthetic-refusals-'));
    expect((await cli(args)).code).toBe(0);
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a rerun without --resume, saying a run may have been interrupted and --resume finishes it', async () => {
    // when the seed is run again, without --resume
    const rerun = await cli(args);

    // then it is refused, and the message points at --resume
    expect(rerun.code).toBe(1);
    expect(rerun.err).toMatch(/already holds that seed's history/);
    expect(rerun.err).toMatch(/may have been interrupted.*--resume.*finishes it/);
  });

  it.each([['2000'], ['3100']])(
    'refuses --resume with --events %s on a 3000-event history, naming what differs, writing nothing',
    async (events) => {
      const before = await logOf(db.url);

      // when it is resumed with another --events (2000: wave 4 shorter; 3100: wave 4 longer, its
      // missing enrolments looking like an interrupted wave until the next wave is checked)
      const refused = await cli([
        'synthetic',
        '--events',
        events,
        '--seed',
        String(SEED),
        '--resume',
      ]);

      // then it is refused, naming the stream that differs, and nothing is written (nor sealed)
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(
        new RegExp(`seed ${SEED} is not the one --events ${events} generates: stream \\S+ holds`),
      );
      expect(refused.out).toBe('');
      expect(await logOf(db.url)).toEqual(before);
    },
  );

  it('runs as a fresh run when the log holds none of that seed', async () => {
    // when another seed is resumed
    const fresh = await cli(['synthetic', '--events', '500', '--seed', '22', '--resume']);

    // then its whole history is written, as a run without --resume writes it
    const generated = [...activityWaves(syntheticOptions(500, 22))].flat();
    const count = generated.reduce((n, a) => n + a.events.length, 0);
    expect(fresh.code).toBe(0);
    expect(summaryOf(fresh.out).events).toBe(count);
    const log = await logOf(db.url);
    expect(log.events.filter((e) => String(e.stream_id).includes('syn22.'))).toHaveLength(count);
  });
});
