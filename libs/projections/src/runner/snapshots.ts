import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { createSlot, withSlotsLock } from './checkpoints.js';
import { rows, type Projection, type Sql } from './projection.js';
import { countEvents } from './rebuild.js';

/**
 * Snapshots: the read models as they stood at a point of the log, built beside the live ones (../shared
 * API.md "Snapshots (time travel)"). A snapshot is a rebuild that is never switched to: one slot per
 * projection, filled from the start of the log by whichever runner picks it up, applying only events at
 * or below its position (`toPosition`) or recorded by its time (`toTime`, by `metadata.recordedAt`: what
 * the system knew then; `occurredAt` would pull in facts typed in days later). Once a slot has passed its
 * bound it is frozen (state `snapshot`) and the runner leaves it alone. Dashboards never see it: they
 * read the live slots, which keep following the log meanwhile.
 *
 * A `toTime` snapshot stops at its last event recorded by then, found below the head of the log when it
 * was asked for: everything recorded by a past instant is already below it (the feed never shows an
 * event late below its head).
 */
export type SnapshotRequest = Readonly<{ id?: string; toPosition?: bigint; toTime?: Date }>;

export type Snapshot = Readonly<{
  id: string;
  jobId: string;
  toPosition: string | null;
  toTime: string | null;
  /** The last position the snapshot covers: what its answers report as `position`. */
  stopPosition: string;
  /**
   * The moment the snapshot stands at, which answers that depend on the clock are judged by (an open
   * shift's `overdue`, a posting streak's "today"): its `toTime`, or when its last event was recorded.
   * Judged by today's clock instead, its answers changed from day to day.
   */
  asOf: string;
  state: 'building' | 'ready' | 'failed';
  error?: string;
  createdAt: string;
}>;

/** A request a snapshot cannot be built from (HTTP 400 naming the field). */
export class InvalidSnapshotRequest extends Error {
  constructor(
    readonly field: 'toPosition' | 'toTime' | 'id',
    message: string,
  ) {
    super(message);
    this.name = 'InvalidSnapshotRequest';
  }
}

/** No snapshot has that id (HTTP 404). */
export class SnapshotNotFound extends Error {
  constructor(readonly id: string) {
    super(`snapshot ${id} is unknown`);
    this.name = 'SnapshotNotFound';
  }
}

/** The snapshot exists but cannot answer: still building, failed, or its id names another bound (HTTP 409). */
export class SnapshotConflict extends Error {
  constructor(
    readonly id: string,
    message: string,
  ) {
    super(message);
    this.name = 'SnapshotConflict';
  }
}

/**
 * As many snapshots as the limit are kept already (HTTP 409): each is a full copy of the read models,
 * so one more waits until the operator deletes one rather than filling the disk under every user.
 */
export class SnapshotLimitReached extends Error {
  constructor(readonly limit: number) {
    // SNAPSHOT_LIMIT=1 keeps one snapshot: "1 snapshots are kept" read as a slip of the program
    super(
      `${limit === 1 ? '1 snapshot is' : `${limit} snapshots are`} kept already (SNAPSHOT_LIMIT): delete one (DELETE /admin/snapshots/:id) before building another`,
    );
    this.name = 'SnapshotLimitReached';
  }
}

/** SNAPSHOT_LIMIT's default (#platform app-config.ts). */
export const DEFAULT_SNAPSHOT_LIMIT = 10;

type SnapshotRow = {
  id: string;
  job_id: string;
  to_position: string | null;
  to_time: Date | null;
  stop_position: string;
  as_of: Date | null;
  state: Snapshot['state'];
  error: string | null;
  created_at: Date;
};

const toSnapshot = (row: SnapshotRow): Snapshot => ({
  id: row.id,
  jobId: row.job_id,
  toPosition: row.to_position,
  toTime: row.to_time ? new Date(row.to_time).toISOString() : null,
  stopPosition: row.stop_position,
  // a snapshot made before the moment was kept: when it was asked for, which its events all precede
  asOf: new Date(row.as_of ?? row.to_time ?? row.created_at).toISOString(),
  state: row.state,
  ...(row.error ? { error: row.error } : {}),
  createdAt: new Date(row.created_at).toISOString(),
});

/**
 * Starts building a snapshot of every projection; returns its job and snapshot ids. The same id with the
 * same bound answers the snapshot already asked for; with another bound it is a conflict; a new one
 * beyond `limit` snapshots kept is refused (SnapshotLimitReached). A `toPosition`
 * the feed has not shown yet is waited for (a command's position may be a moment ahead of the feed's
 * head), up to `waitMs`.
 */
export async function startSnapshot(
  pool: pg.Pool,
  store: { headPosition(): Promise<bigint> },
  all: readonly Projection[],
  request: SnapshotRequest,
  options: { now?: Date; waitMs?: number; limit?: number } = {},
): Promise<{ jobId: string; snapshotId: string }> {
  const { toPosition, toTime } = request;
  if ((toPosition === undefined) === (toTime === undefined))
    throw new InvalidSnapshotRequest('toPosition', 'give exactly one of toPosition or toTime');
  if (toTime && toTime.getTime() > (options.now ?? new Date()).getTime())
    throw new InvalidSnapshotRequest(
      'toTime',
      'toTime is in the future: a snapshot shows what was recorded by then',
    );
  let head = await store.headPosition();
  const deadline = Date.now() + (options.waitMs ?? 5_000);
  while (toPosition !== undefined && head < toPosition && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    head = await store.headPosition();
  }
  if (toPosition !== undefined && head < toPosition)
    throw new InvalidSnapshotRequest(
      'toPosition',
      `toPosition ${toPosition} is beyond the head of the log (${head})`,
    );
  const snapshotId = request.id ?? randomUUID();
  const stop = toPosition ?? (await lastRecordedBy(pool, toTime!));
  const asOf = toTime ?? (await recordedAtOf(pool, stop));
  // The job's total is what the snapshot reads, the events up to its stop, not the whole log: a job
  // done at `processed 40000 / total 122421` left the CLI's progress bar at 33 %.
  const total = (await countEvents(pool, stop)) ?? 0;
  const client = await pool.connect();
  try {
    return await withSlotsLock(client, async () => {
      const [existing] = await rows<SnapshotRow>(
        client,
        `SELECT * FROM projection_snapshots WHERE id = $1`,
        [snapshotId],
      );
      if (existing) {
        const same =
          toPosition !== undefined
            ? existing.to_position === toPosition.toString()
            : existing.to_time !== null &&
              new Date(existing.to_time).getTime() === toTime!.getTime();
        if (!same)
          throw new SnapshotConflict(
            snapshotId,
            `snapshot ${snapshotId} exists with another bound`,
          );
        return { jobId: existing.job_id, snapshotId };
      }
      // counted under the slots lock, so that requests arriving together cannot all pass the limit;
      // a failed snapshot's slots are dropped, so it takes no room
      const [{ kept }] = await rows<{ kept: number }>(
        client,
        `SELECT count(*)::int AS kept FROM projection_snapshots WHERE state IN ('building', 'ready')`,
      );
      const limit = options.limit ?? DEFAULT_SNAPSHOT_LIMIT;
      if (kept! >= limit) throw new SnapshotLimitReached(limit);
      const jobId = randomUUID();
      await client.query(
        `INSERT INTO projection_jobs (id, to_position, to_time, state, total) VALUES ($1, $2, $3, 'running', $4)`,
        [jobId, toPosition?.toString() ?? null, toTime ?? null, total],
      );
      await client.query(
        `INSERT INTO projection_snapshots (id, job_id, to_position, to_time, stop_position, as_of, state)
         VALUES ($1, $2, $3, $4, $5, COALESCE($6, now()), 'building')`,
        [
          snapshotId,
          jobId,
          toPosition?.toString() ?? null,
          toTime ?? null,
          stop.toString(),
          asOf ?? null,
        ],
      );
      for (const projection of all) {
        await createSlot(client, projection, 'building', {
          jobId,
          snapshotId,
          stopPosition: stop,
          stopTime: toTime,
        });
      }
      return { jobId, snapshotId };
    });
  } finally {
    client.release();
  }
}

/**
 * The position a `toTime` snapshot covers and answers with: its last event recorded by then (0 when
 * none was). Not the head it was asked at: that would claim the events recorded after `toTime`, and a
 * client holding one of their positions would read the snapshot as including it (API.md `position`).
 * Not bounded by the feed's head either: any transaction begun earlier and still open holds that
 * horizon back (`libs/event-store/src/postgres/sql.ts`), below events already committed, and a
 * snapshot to a moment after a command's 201 left the command out. Its slots wait for the feed to
 * pass the stop. Walking back from the newest event reads few rows for a recent `toTime`.
 */
async function lastRecordedBy(pool: pg.Pool, toTime: Date): Promise<bigint> {
  const [row] = await rows<{ at: string }>(
    pool,
    `SELECT global_position::text AS at FROM events
      WHERE (metadata->>'recordedAt')::timestamptz <= $1
      ORDER BY global_position DESC LIMIT 1`,
    [toTime],
  );
  return BigInt(row?.at ?? 0);
}

/**
 * When the last event at or below `stop` was recorded: the moment a snapshot to that position stands
 * at. Undefined when there is none (a snapshot of the empty log stands when it is asked for), or where
 * the events are not in PostgreSQL (EventStoreDB: likewise).
 */
async function recordedAtOf(pool: pg.Pool, stop: bigint): Promise<Date | undefined> {
  try {
    const [row] = await rows<{ at: Date }>(
      pool,
      `SELECT (metadata->>'recordedAt')::timestamptz AS at FROM events
        WHERE global_position <= $1 ORDER BY global_position DESC LIMIT 1`,
      [stop.toString()],
    );
    return row?.at;
  } catch {
    return undefined;
  }
}

export async function listSnapshots(sql: Sql): Promise<Snapshot[]> {
  return (
    await rows<SnapshotRow>(sql, `SELECT * FROM projection_snapshots ORDER BY created_at, id`)
  ).map(toSnapshot);
}

export async function getSnapshot(sql: Sql, id: string): Promise<Snapshot | null> {
  const [row] = await rows<SnapshotRow>(sql, `SELECT * FROM projection_snapshots WHERE id = $1`, [
    id,
  ]);
  return row ? toSnapshot(row) : null;
}

/**
 * Deletes a snapshot: its slots are retired (the runner drops them after the grace period, so reads
 * under way finish) and a build still running is marked failed. Returns false for an unknown id.
 *
 * Rows are locked in the runner's order (batch-step.ts: the slot's checkpoint, then the job, then the
 * snapshot when its last slot freezes). Deleting the snapshot row first, then waiting for a slot the
 * runner held while it froze that slot and marked the snapshot ready, was a deadlock: PostgreSQL
 * aborted the delete and the route answered 500.
 */
export async function deleteSnapshot(pool: pg.Pool, id: string): Promise<boolean> {
  const client = await pool.connect();
  try {
    return await withSlotsLock(client, async () => {
      // Creating and deleting snapshots both hold the slots lock: the row read here stays until the
      // DELETE below, while the runner may still move its state.
      const [row] = await rows<SnapshotRow>(
        client,
        `SELECT * FROM projection_snapshots WHERE id = $1`,
        [id],
      );
      if (!row) return false;
      await client.query(
        `UPDATE projection_checkpoints SET state = 'retired', updated_at = now() WHERE snapshot_id = $1`,
        [id],
      );
      await client.query(
        `UPDATE projection_jobs SET state = 'failed', error = 'snapshot deleted', finished_at = now() WHERE id = $1 AND state = 'running'`,
        [row.job_id],
      );
      await client.query(`DELETE FROM projection_snapshots WHERE id = $1`, [id]);
      return true;
    });
  } finally {
    client.release();
  }
}

/** The failure of a snapshot's job is the snapshot's (called with the runner's failJob). */
export async function failSnapshotOfJob(sql: Sql, jobId: string, error: string): Promise<void> {
  await sql.query(
    `UPDATE projection_snapshots SET state = 'failed', error = $2 WHERE job_id = $1 AND state = 'building'`,
    [jobId, error],
  );
}
