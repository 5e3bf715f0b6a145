import { memberSubject } from '#commands';
import { PersonalDataVault, cliDatabaseLog } from '#platform';
import {
  APPENDS_IN_FLIGHT,
  openReadSide,
  SyntheticHistoryDiffers,
  SyntheticHistoryExists,
  syntheticOptions,
  writeSyntheticHistory,
} from '#projections';
import { leftOnInterrupt, parseCommand } from '../cli-args.js';
import { progressBar } from './progress-bar.js';

/**
 * The most events one run writes: ten times the largest history measured here (10 M, bench/RESULTS.md),
 * already a couple of hours of writing at the measured ~18,000 events/s and tens of GB of database;
 * a larger number is a typo more often than a plan.
 */
export const MAX_SYNTHETIC_EVENTS = 100_000_000;
/** The generator's seed is 32 bits (mulberry32): a larger one would repeat a smaller one's history. */
export const MAX_SYNTHETIC_SEED = 2 ** 32 - 1;

export const usage = `usage: seed synthetic --events N [--seed S] [--resume]

  Writes a generated, realistic history of about N events (1 to ${MAX_SYNTHETIC_EVENTS}; at least the
  few dozen of its units, members and campaigns) straight through the event store of the configured
  database (the one a running server uses), with a progress bar on a terminal; S (0 to ${MAX_SYNTHETIC_SEED}, default 1) picks the history. The last line on
  stdout is one JSON object: { events, position, campaignIds, unitIds, memberIds }. A seed whose
  history the log already holds is refused; --resume finishes an interrupted run of that seed (same
  N): it checks the part stored, refuses when it is not this history, and writes only the rest.`;

/** A whole number within [min, max], or undefined. */
const wholeNumber = (value: string | undefined, min: number, max: number) =>
  value !== undefined && /^\d+$/.test(value) && Number(value) >= min && Number(value) <= max
    ? Number(value)
    : undefined;
const events = (value: string | undefined) => wholeNumber(value, 1, MAX_SYNTHETIC_EVENTS);
const seedOf = (value: string | undefined) => wholeNumber(value, 0, MAX_SYNTHETIC_SEED);

function problemOf({
  values,
  positionals,
}: {
  values: Record<string, unknown>;
  positionals: string[];
}) {
  const given = (name: string) => values[name] as string | undefined;
  if (positionals.length) return `unexpected argument ${positionals[0]}`;
  if (given('events') === undefined)
    return `--events N is required: a whole number from 1 to ${MAX_SYNTHETIC_EVENTS}`;
  if (events(given('events')) === undefined)
    return `--events must be a whole number from 1 to ${MAX_SYNTHETIC_EVENTS}, got ${given('events')}`;
  if (seedOf(given('seed')) === undefined)
    return `--seed must be a whole number from 0 to ${MAX_SYNTHETIC_SEED}, got ${given('seed')}`;
  return undefined;
}

/**
 * Writes a generated province-shaped history (libs/projections/src/demo: units four levels deep,
 * members, week-long drives with daily windows, shifts with assistance, corrections, verifications and
 * rejections, clubs, posts, erasures) straight through the event store of the configured database
 * (DATABASE_URL, or the embedded PostgreSQL under DATA_DIR, shared with a running server), with a
 * progress bar on a terminal. The last line on stdout is one JSON object: the events written, the last
 * position (for `?minPosition=`) and sample ids the read routes answer once the projections reach it.
 */
export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand(
    'seed synthetic',
    usage,
    args,
    {
      events: { type: 'string' },
      seed: { type: 'string', default: '1' },
      resume: { type: 'boolean', default: false },
    },
    problemOf,
  );
  if (typeof parsed === 'number') return parsed;
  const options = { events: events(parsed.values.events)!, seed: seedOf(parsed.values.seed)! };
  // from the start, not from the first write: interrupted while the database opens, nothing is
  // written, and --resume then writes the whole history
  return leftOnInterrupt(
    `seed synthetic: what was written before the interruption is kept; finish this history with ` +
      resumeCommand(options),
    () => seed(options, parsed.values.resume === true),
  );
}

const resumeCommand = (options: { events: number; seed: number }) =>
  `npm run cli -- seed synthetic --events ${options.events} --seed ${options.seed} --resume`;

async function seed(options: { events: number; seed: number }, resume: boolean): Promise<number> {
  const side = await openReadSide(cliDatabaseLog, {
    poolSize: APPENDS_IN_FLIGHT,
  });
  try {
    const vault = new PersonalDataVault(side.pool); // its tables exist: openReadSide initialised it
    const startedAt = Date.now();
    const tty = process.stderr.isTTY;
    const summary = await writeSyntheticHistory(
      side.store,
      syntheticOptions(options.events, options.seed),
      {
        seal: (memberId, name) => vault.seal(memberSubject(memberId), name),
        erase: (memberId) => vault.destroy(memberSubject(memberId)),
      },
      (written) => {
        if (tty) process.stderr.write(progressBar(written, options.events, startedAt));
      },
      { resume },
    );
    process.stderr.write(
      `${tty ? '\n' : ''}seed synthetic: ${summary.events} events (seed ${options.seed}) in ` +
        `${((Date.now() - startedAt) / 1000).toFixed(1)} s; read routes answer them once the ` +
        `projections reach position ${summary.position} (?minPosition=${summary.position})\n`,
    );
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof SyntheticHistoryExists || error instanceof SyntheticHistoryDiffers)) {
      // A database restarted or a disk filled under the run stops it as Ctrl-C does, and it is
      // finished the same way: the run said only "cannot reach the database … is DATABASE_URL (or
      // DATA_DIR) the server's?", of a database that was the server's and back a second later.
      process.stderr.write(
        `seed synthetic: stopped by the failure below; what was written before it is kept; finish ` +
          `this history with ${resumeCommand(options)}\n`,
      );
      throw error;
    }
    process.stderr.write(`seed synthetic: ${error.message}\n`);
    return 1;
  } finally {
    await side.close();
  }
}
