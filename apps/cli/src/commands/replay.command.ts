import { idPattern } from '#commands';
import { instantProblem, requireInstant } from '#domain';
import { progressBar } from './progress-bar.js';
import {
  countEvents,
  getJob,
  InvalidSnapshotRequest,
  openReadSide,
  projections,
  SnapshotConflict,
  startRebuild,
  startSnapshot,
  type ReadSide,
} from '#projections';

const usage =
  'usage: replay [--projection <name>|--all]   or   replay (--to-position N | --to-time ISO) [--snapshot <id>]';

type Options = { projection?: string; toPosition?: bigint; toTime?: Date; snapshot?: string };

function parse(args: string[]): Options | string {
  const options: Options = {};
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    if (flag === '--all') continue;
    const value = args[++i];
    if (value === undefined) return `${flag} needs a value`;
    if (flag === '--projection') {
      if (!projections.some((p) => p.name === value))
        return `unknown projection ${value} (known: ${projections.map((p) => p.name).join(', ')})`;
      options.projection = value;
    } else if (flag === '--to-position') {
      if (!/^\d+$/.test(value)) return '--to-position must be a non-negative integer';
      options.toPosition = BigInt(value);
    } else if (flag === '--to-time') {
      // the domain's value type says what an instant is (#domain values.ts)
      const problem = instantProblem(value);
      if (problem) return `--to-time ${problem}`;
      options.toTime = new Date(requireInstant(value, '--to-time'));
    } else if (flag === '--snapshot') {
      if (!idPattern.test(value))
        return '--snapshot must be 1-100 letters, digits, ".", "_", ":" or "-"';
      options.snapshot = value;
    } else return `unknown option ${flag}`;
  }
  if (options.toPosition !== undefined && options.toTime !== undefined)
    return 'give --to-position or --to-time, not both';
  const bounded = options.toPosition !== undefined || options.toTime !== undefined;
  if (bounded && options.projection !== undefined)
    return 'a snapshot (--to-position, --to-time) covers every projection: leave out --projection';
  if (!bounded && options.snapshot !== undefined)
    return '--snapshot names the snapshot of --to-position or --to-time';
  return options;
}

/**
 * Without a bound: rebuilds beside the live tables and switches over when caught up (the same job as
 * POST /admin/projections/rebuild). With `--to-position` or `--to-time`: builds a snapshot beside the
 * live read models (the same as POST /admin/snapshots) and never rewinds them; `--to-time` bounds by
 * metadata.recordedAt, what the system knew at that time. This process drives the job itself; a running
 * worker may share the batches (each slot's checkpoint row is locked per batch), so it works with or
 * without the server.
 */
export async function run(args: string[]): Promise<number> {
  const options = parse(args);
  if (typeof options === 'string') {
    process.stderr.write(`replay: ${options}\n${usage}\n`);
    return 2;
  }
  const side = await openReadSide((line) => process.stderr.write(`${line}\n`));
  try {
    const total = await countEvents(side.pool);
    if (options.toPosition === undefined && options.toTime === undefined) {
      const id = await startRebuild(side.pool, projections, options, total);
      process.stderr.write(`replay job ${id}: ${options.projection ?? 'all projections'}\n`);
      return await follow(side, id, 'replay');
    }
    const started = await startSnapshot(
      side.pool,
      side.store,
      projections,
      { id: options.snapshot, toPosition: options.toPosition, toTime: options.toTime },
      { totalEvents: total },
    ).catch((error: Error) => {
      if (!(error instanceof InvalidSnapshotRequest || error instanceof SnapshotConflict))
        throw error;
      process.stderr.write(`replay: ${error.message}\n`);
      return null;
    });
    if (!started) return 2;
    const { jobId, snapshotId } = started;
    const bound =
      options.toTime !== undefined
        ? `recorded by ${options.toTime.toISOString()}`
        : `up to position ${options.toPosition}`;
    process.stderr.write(`snapshot ${snapshotId} (job ${jobId}): every projection ${bound}\n`);
    const code = await follow(side, jobId, 'snapshot');
    if (code === 0) process.stdout.write(howToRead(snapshotId));
    return code;
  } finally {
    await side.close();
  }
}

/** Runs batches until the job is done, with a progress bar on a terminal. */
async function follow(side: ReadSide, id: string, what: string): Promise<number> {
  const startedAt = Date.now();
  for (;;) {
    await side.runner.runOnce();
    const job = (await getJob(side.pool, id))!;
    if (process.stderr.isTTY || job.state !== 'running')
      process.stderr.write(
        progressBar(job.processed, Math.max(job.total, job.processed), startedAt),
      );
    if (job.state === 'done') {
      process.stderr.write(`\n${what} done in ${((Date.now() - startedAt) / 1000).toFixed(1)} s\n`);
      return 0;
    }
    if (job.state === 'failed') {
      process.stderr.write(`\n${what} failed: ${job.error ?? 'unknown error'}\n`);
      return 1;
    }
  }
}

function howToRead(id: string): string {
  const base = `http://localhost:${process.env.PORT ?? 3000}`;
  const q = `snapshot=${encodeURIComponent(id)}`;
  return [
    `snapshot ${id} ready; the live read models are unchanged.`,
    `Read it by adding ?${q} to any read route (campaign progress, leaderboards, unit summary, audit hours):`,
    `  TOKEN=$(npm run -s cli -- token --role viewer)`,
    `  curl -H "Authorization: Bearer $TOKEN" "${base}/campaigns/<campaignId>/progress?${q}"`,
    `  curl -H "Authorization: Bearer $TOKEN" "${base}/leaderboards/members?metric=citizensAssisted&${q}"`,
    `List snapshots: GET ${base}/admin/snapshots; delete this one: DELETE ${base}/admin/snapshots/${encodeURIComponent(id)} (operator token).`,
    '',
  ].join('\n');
}
