import { cliDatabaseLog } from '#platform';
import { idRule } from '#commands';
import { idPattern, instantProblem, requireInstant } from '#domain';
import { isConnectionFailure } from '#event-store';
import { leftOnInterrupt, parseCommand } from '../cli-args.js';
import { progressBar } from './progress-bar.js';
import {
  countEvents,
  getJob,
  InvalidSnapshotRequest,
  openReadSide,
  projections,
  SnapshotConflict,
  SnapshotLimitReached,
  startRebuild,
  startSnapshot,
  type ReadSide,
  type RebuildJob,
} from '#projections';

export const usage = `usage: replay [--projection <name> | --all]
       replay (--to-position N | --to-time ISO) [--snapshot <id>]

  Without a bound: rebuilds one projection (or all) beside the live tables and switches over when it
  has caught up. With --to-position or --to-time (by recordedAt): builds a snapshot of every
  projection up to that point beside the live read models, which never move backwards, and prints how
  to read it. Progress on a terminal.`;

type Options = { projection?: string; toPosition?: bigint; toTime?: Date; snapshot?: string };

/** What the flags say, or why they cannot be done together. */
function optionsOf(values: {
  projection?: string;
  all?: boolean;
  'to-position'?: string;
  'to-time'?: string;
  snapshot?: string;
}): Options | string {
  const { projection, all, snapshot } = values;
  const [position, time] = [values['to-position'], values['to-time']];
  if (projection !== undefined && !projections.some((p) => p.name === projection))
    return `unknown projection ${projection} (known: ${projections.map((p) => p.name).join(', ')})`;
  if (projection !== undefined && all) return 'give --projection or --all, not both';
  if (position !== undefined && !/^\d{1,19}$/.test(position))
    return '--to-position must be a non-negative integer';
  // the domain's value type says what an instant is (#domain values.ts)
  const timeProblem = time === undefined ? null : instantProblem(time);
  if (timeProblem) return `--to-time ${timeProblem}`;
  if (snapshot !== undefined && !idPattern.test(snapshot)) return idRule('--snapshot');
  if (position !== undefined && time !== undefined)
    return 'give --to-position or --to-time, not both';
  const bounded = position !== undefined || time !== undefined;
  if (bounded && (projection !== undefined || all))
    return 'a snapshot (--to-position, --to-time) covers every projection: leave out --projection and --all';
  if (!bounded && snapshot !== undefined)
    return '--snapshot names the snapshot of --to-position or --to-time';
  return {
    projection,
    toPosition: position === undefined ? undefined : BigInt(position),
    toTime: time === undefined ? undefined : new Date(requireInstant(time, '--to-time')),
    snapshot,
  };
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
  const spec = {
    projection: { type: 'string' },
    all: { type: 'boolean' },
    'to-position': { type: 'string' },
    'to-time': { type: 'string' },
    snapshot: { type: 'string' },
  } as const;
  const parsed = parseCommand('replay', usage, args, spec, ({ values, positionals }) => {
    if (positionals.length) return `unexpected argument ${positionals[0]}`;
    const options = optionsOf(values);
    return typeof options === 'string' ? options : undefined;
  });
  if (typeof parsed === 'number') return parsed;
  const options = optionsOf(parsed.values) as Options;
  const side = await openReadSide(cliDatabaseLog);
  try {
    if (options.toPosition === undefined && options.toTime === undefined) {
      const id = await startRebuild(side.pool, projections, options, await countEvents(side.pool));
      process.stderr.write(`replay job ${id}: ${options.projection ?? 'all projections'}\n`);
      return await leftOnInterrupt(
        `replay: job ${id} is left running: the worker of a running server finishes it and switches over (GET /admin/jobs/${id}), else the next server start does; the live read models are unchanged until then`,
        () => follow(side, id, 'replay'),
      );
    }
    const started = await startSnapshot(
      side.pool,
      side.store,
      projections,
      { id: options.snapshot, toPosition: options.toPosition, toTime: options.toTime },
      { limit: side.snapshotLimit },
    ).catch((error: Error) => {
      if (!(
        error instanceof InvalidSnapshotRequest ||
        error instanceof SnapshotConflict ||
        error instanceof SnapshotLimitReached
      ))
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
    const code = await leftOnInterrupt(
      `replay: snapshot ${snapshotId} (job ${jobId}) is left building: the worker of a running server finishes it (GET /admin/jobs/${jobId}), else the next server start does; until then it counts against SNAPSHOT_LIMIT (DELETE /admin/snapshots/${snapshotId} drops it)`,
      () => follow(side, jobId, 'snapshot'),
    );
    if (code === 0) process.stdout.write(howToRead(snapshotId));
    return code;
  } finally {
    await side.close();
  }
}

/** Runs batches until the job is done, with a progress bar on a terminal. */
async function follow(side: ReadSide, id: string, what: string): Promise<number> {
  const startedAt = Date.now();
  let outage = false;
  for (;;) {
    let job: RebuildJob;
    try {
      await side.runner.runOnce();
      job = (await getJob(side.pool, id))!;
    } catch (error) {
      // The database lost: the job keeps what it committed and goes on when it answers again (the
      // runner fails a job on anything else, which the job's state then says).
      if (!isConnectionFailure(error)) throw error;
      if (!outage)
        process.stderr.write(`\ndatabase unavailable (${(error as Error).message}); retrying\n`);
      outage = true;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      continue;
    }
    outage = false;
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

/**
 * What to paste to read the snapshot. The viewer's token goes into VIEWER, as in README's first
 * session: pasted into that shell, `TOKEN=…` replaced the operator's token the session keeps in
 * TOKEN, and every operator command after it was refused (403).
 */
export function howToRead(id: string): string {
  const base = `http://localhost:${process.env.PORT ?? 3000}`;
  const q = `snapshot=${encodeURIComponent(id)}`;
  return [
    `snapshot ${id} ready; the live read models are unchanged.`,
    `Read it by adding ?${q} to any read route (campaign progress, leaderboards, unit summary, members, audit hours):`,
    `  VIEWER=$(npm run -s cli -- token --role viewer)`,
    `  curl -H "Authorization: Bearer $VIEWER" "${base}/campaigns/<campaignId>/progress?${q}"`,
    `  curl -H "Authorization: Bearer $VIEWER" "${base}/leaderboards/members?metric=citizensAssisted&${q}"`,
    // A viewer may not read /audit (API.md "Who may do what"): audit hours need an auditor's token.
    `  AUDITOR=$(npm run -s cli -- token --role auditor)`,
    `  curl -H "Authorization: Bearer $AUDITOR" "${base}/audit/members/<memberId>/hours?${q}"`,
    `List snapshots: GET ${base}/admin/snapshots; delete this one: DELETE ${base}/admin/snapshots/${encodeURIComponent(id)} (operator token).`,
    '',
  ].join('\n');
}
