import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { createSlot, withSlotsLock } from './checkpoints.js';
import { rows, type Projection } from './projection.js';

export type RebuildRequest = Readonly<{
  /** One projection by name; all when absent. */
  projection?: string;
}>;

export type RebuildJob = Readonly<{
  id: string;
  projection: string | null;
  state: 'running' | 'done' | 'failed';
  processed: number;
  total: number;
  error?: string;
  toPosition: string | null;
  toTime: string | null;
}>;

export class UnknownProjection extends Error {
  constructor(readonly projection: string) {
    super(`unknown projection ${projection}`);
    this.name = 'UnknownProjection';
  }
}

/**
 * Starts a rebuild: new, empty slots beside the live ones, filled from the start of the log by whichever
 * runner picks them up (the worker, or the CLI itself), and switched over once caught up. Reads keep
 * using the old slots meanwhile. Looking at the past is a snapshot (`snapshots.ts`), never a rebuild:
 * the live read models never move backwards.
 */
export async function startRebuild(
  pool: pg.Pool,
  all: readonly Projection[],
  request: RebuildRequest,
  totalEvents?: number,
): Promise<string> {
  const chosen =
    request.projection === undefined ? all : all.filter((p) => p.name === request.projection);
  if (!chosen.length) throw new UnknownProjection(request.projection ?? '');
  const id = randomUUID();
  const client = await pool.connect();
  try {
    await withSlotsLock(client, async () => {
      await client.query(
        `INSERT INTO projection_jobs (id, projection, state, total) VALUES ($1, $2, 'running', $3)`,
        [id, request.projection ?? null, totalEvents ?? 0],
      );
      // A newer rebuild of the same projection replaces one still running: that projection's slot is
      // retired, and a job fails as superseded only when none of its slots is left building (a rebuild
      // of one projection leaves the rest of an earlier rebuild of all of them to finish and switch).
      const names = chosen.map((p) => p.name);
      const replaced = await rows<{ job_id: string }>(
        client,
        `UPDATE projection_checkpoints SET state = 'retired', updated_at = now()
         WHERE projection = ANY($1) AND state = 'building' AND snapshot_id IS NULL RETURNING job_id`,
        [names],
      );
      const stale = [...new Set(replaced.map((r) => r.job_id).filter(Boolean))];
      if (stale.length) {
        await client.query(
          `UPDATE projection_jobs SET state = 'failed', error = 'superseded by job ' || $2, finished_at = now() WHERE id = ANY($1) AND state = 'running'
           AND NOT EXISTS (SELECT 1 FROM projection_checkpoints c
                           WHERE c.job_id = projection_jobs.id AND c.state = 'building')`,
          [stale, id],
        );
      }
      for (const projection of chosen) {
        await createSlot(client, projection, 'building', { jobId: id });
      }
    });
  } finally {
    client.release();
  }
  return id;
}

type JobRow = {
  id: string;
  projection: string | null;
  state: RebuildJob['state'];
  progress: string;
  total: string;
  error: string | null;
  to_position: string | null;
  to_time: Date | null;
};

export async function getJob(pool: pg.Pool, id: string): Promise<RebuildJob | null> {
  const [job] = await rows<JobRow>(
    pool,
    `SELECT j.*, GREATEST(j.processed, COALESCE((SELECT min(events_read) FROM projection_checkpoints c
       WHERE c.job_id = j.id AND c.state = 'building'), 0)) AS progress
     FROM projection_jobs j WHERE j.id = $1`,
    [id],
  );
  if (!job) return null;
  return {
    id: job.id,
    projection: job.projection,
    state: job.state,
    processed: Number(job.progress),
    total: Math.max(Number(job.total), Number(job.progress)),
    ...(job.error ? { error: job.error } : {}),
    toPosition: job.to_position,
    toTime: job.to_time ? new Date(job.to_time).toISOString() : null,
  };
}

/**
 * Events in the log, or at and below `upTo` (what a snapshot builds up to), for a job's `total`: the
 * PostgreSQL adapter's table; undefined where unknown (EventStoreDB), and the job counts as it reads.
 */
export async function countEvents(pool: pg.Pool, upTo?: bigint): Promise<number | undefined> {
  try {
    const [row] = await rows<{ n: string }>(
      pool,
      upTo === undefined
        ? `SELECT count(*) AS n FROM events`
        : `SELECT count(*) AS n FROM events WHERE global_position <= $1`,
      upTo === undefined ? [] : [upTo.toString()],
    );
    return Number(row?.n ?? 0);
  } catch {
    return undefined;
  }
}
