import { memberSubject } from '#commands';
import { PersonalDataVault } from '#platform';
import {
  APPENDS_IN_FLIGHT,
  openReadSide,
  SyntheticHistoryExists,
  syntheticOptions,
  writeSyntheticHistory,
} from '#projections';
import { parseCommand } from '../cli-args.js';
import { progressBar } from './progress-bar.js';

export const usage = `usage: seed synthetic --events N [--seed S]

  Writes a generated, realistic history of about N events straight through the event store of the
  configured database (the one a running server uses), with a progress bar on a terminal. The last
  line on stdout is one JSON object: { events, position, campaignIds, unitIds, memberIds }.`;

const count = (value: string | undefined) =>
  value !== undefined && /^\d{1,9}$/.test(value) ? Number(value) : undefined;

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
    { events: { type: 'string' }, seed: { type: 'string', default: '1' } },
    ({ values, positionals }) =>
      positionals.length
        ? `unexpected argument ${positionals[0]}`
        : !count(values.events)
          ? '--events N (at least 1) is required'
          : count(values.seed) === undefined
            ? '--seed needs a non-negative integer'
            : undefined,
  );
  if (typeof parsed === 'number') return parsed;
  const options = { events: count(parsed.values.events)!, seed: count(parsed.values.seed)! };
  const side = await openReadSide((line) => process.stderr.write(`${line}\n`), {
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
    );
    process.stderr.write(
      `${tty ? '\n' : ''}seed synthetic: ${summary.events} events (seed ${options.seed}) in ` +
        `${((Date.now() - startedAt) / 1000).toFixed(1)} s; read routes answer them once the ` +
        `projections reach position ${summary.position} (?minPosition=${summary.position})\n`,
    );
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof SyntheticHistoryExists)) throw error;
    process.stderr.write(`seed synthetic: ${error.message}\n`);
    return 1;
  } finally {
    await side.close();
  }
}
