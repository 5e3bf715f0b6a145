import { ident, rows, slotSchema, type Projection, type Sql } from './projection.js';

/**
 * The runner's bookkeeping (tables in bookkeeping.schema.ts): a slot is one materialisation of a
 * projection: its tables live in their own schema and its checkpoint is a row of
 * projection_checkpoints, keyed by (projection, version, generation). Exactly one slot per projection
 * is `live` (reads use it); `building` slots are rebuilds filling new tables beside it; `retired` slots
 * wait to be dropped once no read can still use them. A slot with a `snapshot_id` belongs to a snapshot
 * (`snapshots.ts`): it is built like a rebuild but never switched to, and once it has reached its bound
 * it is frozen in state `snapshot`. A slot's own tables are the projection's definition, created here
 * when the slot is made, not a migration.
 */
export type SlotState = 'building' | 'live' | 'retired' | 'snapshot';

export type SlotRow = {
  projection: string;
  version: number;
  generation: number;
  schema_name: string;
  state: SlotState;
  position: string;
  stop_position: string | null;
  stop_time: Date | null;
  job_id: string | null;
  snapshot_id: string | null;
  indexed: boolean;
  events_read: string;
};

/** The lock every process takes while it changes slots, so two starting processes never race. */
const SLOTS_LOCK = 7_314_205;

/** Creates a slot's schema and tables and its checkpoint row. Call inside a transaction. */
export async function createSlot(
  sql: Sql,
  projection: Projection,
  state: SlotState,
  bounds: { jobId?: string; stopPosition?: bigint; stopTime?: Date; snapshotId?: string } = {},
): Promise<SlotRow> {
  const [{ next }] = await rows<{ next: number }>(
    sql,
    `SELECT COALESCE(MAX(generation) + 1, 0)::int AS next FROM projection_checkpoints WHERE projection = $1 AND version = $2`,
    [projection.name, projection.version],
  );
  const schema = ident(slotSchema(projection.name, projection.version, next!));
  await sql.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await sql.query(`CREATE SCHEMA ${schema}`);
  await projection.createTables(sql, schema);
  const [row] = await rows<SlotRow>(
    sql,
    `INSERT INTO projection_checkpoints (projection, version, generation, schema_name, state, stop_position, stop_time, job_id, snapshot_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
    [
      projection.name,
      projection.version,
      next,
      schema,
      state,
      bounds.stopPosition?.toString() ?? null,
      bounds.stopTime ?? null,
      bounds.jobId ?? null,
      bounds.snapshotId ?? null,
    ],
  );
  return row!;
}

/**
 * Read models a newer release of a projection built (live, or building to replace the live one): an
 * older release started on them read the newer tables with its own queries and rebuilt its version
 * beside them, then switched the dashboards back to it.
 */
export class ReadModelNewerThanCode extends Error {
  constructor(projection: Projection, slot: SlotRow) {
    super(
      `projection ${projection.name}: the database holds version ${slot.version} (${slot.state}), built by a newer ` +
        `release of this application; this release knows version ${projection.version}. Start that release ` +
        '(or a later one) on it, or restore a backup taken before the upgrade; this release changes nothing in it.',
    );
    this.name = 'ReadModelNewerThanCode';
  }
}

/**
 * Makes sure every projection has a live slot. A projection seen for the first time gets a live slot
 * filled from the start; one whose live slot has an older version gets a building slot of the new
 * version, and keeps answering reads from the old one until the new one has caught up. With
 * `upgrade: false` only the first (the API's: a version change is the worker's to start, with the
 * code that will fill the new slot). A slot of a newer version than this code's is refused
 * (ReadModelNewerThanCode), whatever `upgrade` says.
 */
export async function ensureSlots(
  sql: Sql,
  projections: readonly Projection[],
  { upgrade = true }: { upgrade?: boolean } = {},
): Promise<void> {
  await sql.query('BEGIN');
  try {
    await sql.query('SELECT pg_advisory_xact_lock($1)', [SLOTS_LOCK]);
    for (const projection of projections) {
      const existing = await rows<SlotRow>(
        sql,
        `SELECT * FROM projection_checkpoints WHERE projection = $1 AND state IN ('live', 'building') AND snapshot_id IS NULL`,
        [projection.name],
      );
      const newer = existing.find((slot) => slot.version > projection.version);
      if (newer) throw new ReadModelNewerThanCode(projection, newer);
      const live = existing.find((slot) => slot.state === 'live');
      if (!live) {
        await createSlot(sql, projection, 'live');
      } else if (
        upgrade &&
        live.version !== projection.version &&
        !existing.some((s) => s.version === projection.version)
      ) {
        const jobId = `upgrade-${projection.name}-v${projection.version}`;
        await sql.query(
          // an upgrade made again after its job failed (ProjectionRunner) runs under that job anew
          `INSERT INTO projection_jobs (id, projection, state) VALUES ($1, $2, 'running')
           ON CONFLICT (id) DO UPDATE SET state = 'running', error = NULL, finished_at = NULL, processed = 0`,
          [jobId, projection.name],
        );
        await createSlot(sql, projection, 'building', { jobId });
      }
    }
    await sql.query('COMMIT');
  } catch (error) {
    await sql.query('ROLLBACK').catch(() => undefined); // the connection may be gone: keep the cause
    throw error;
  }
}

export async function withSlotsLock<T>(sql: Sql, work: () => Promise<T>): Promise<T> {
  await sql.query('BEGIN');
  try {
    await sql.query('SELECT pg_advisory_xact_lock($1)', [SLOTS_LOCK]);
    const result = await work();
    await sql.query('COMMIT');
    return result;
  } catch (error) {
    await sql.query('ROLLBACK').catch(() => undefined); // the connection may be gone: keep the cause
    throw error;
  }
}

export async function listSlots(
  sql: Sql,
  states: readonly SlotState[] = ['live', 'building'],
): Promise<SlotRow[]> {
  return rows<SlotRow>(
    sql,
    `SELECT * FROM projection_checkpoints WHERE state = ANY($1) ORDER BY projection, version, generation`,
    [states],
  );
}

/** The live slot readers should use, with its checkpoint; null before the runner created it. */
export async function liveSlot(sql: Sql, projection: string): Promise<SlotRow | null> {
  const [slot] = await rows<SlotRow>(
    sql,
    `SELECT * FROM projection_checkpoints WHERE projection = $1 AND state = 'live'`,
    [projection],
  );
  return slot ?? null;
}
