import { ident, rows, slotSchema, type Projection, type Sql } from './projection.js';

/**
 * Bookkeeping of the runner, in the public schema. A slot is one materialisation of a projection: its
 * tables live in their own schema and its checkpoint is a row here, keyed by (projection, version,
 * generation). Exactly one slot per projection is `live` (reads use it); `building` slots are rebuilds
 * filling new tables beside it; `retired` slots wait to be dropped once no read can still use them.
 * A slot with a `snapshot_id` belongs to a snapshot (`snapshots.ts`): it is built like a rebuild but
 * never switched to, and once it has reached its bound it is frozen in state `snapshot`.
 *
 * Every statement is idempotent: they run on each start (`ensureSlots`), which is also how a database
 * made before snapshots existed gains them (the guarded constraint swap takes its lock only once).
 */
export const bookkeepingDdl = [
  `CREATE TABLE IF NOT EXISTS projection_checkpoints (
     projection text NOT NULL,
     version integer NOT NULL,
     generation integer NOT NULL,
     schema_name text NOT NULL UNIQUE,
     state text NOT NULL CHECK (state IN ('building', 'live', 'retired', 'snapshot')),
     snapshot_id text,
     position bigint NOT NULL DEFAULT 0,
     stop_position bigint,
     stop_time timestamptz,
     job_id text,
     -- secondary indexes are created when the slot first catches up (cheaper than maintaining them during a rebuild)
     indexed boolean NOT NULL DEFAULT false,
     -- events this slot has read since it was created: a rebuild's progress (positions are sparse)
     events_read bigint NOT NULL DEFAULT 0,
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (projection, version, generation))`,
  // ALTER TABLE locks the table even when there is nothing to do: check first.
  `DO $$ BEGIN
     IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                    WHERE table_name = 'projection_checkpoints' AND column_name = 'snapshot_id'
                    AND table_schema = current_schema()) THEN
       ALTER TABLE projection_checkpoints ADD COLUMN IF NOT EXISTS snapshot_id text;
       ALTER TABLE projection_checkpoints DROP CONSTRAINT IF EXISTS projection_checkpoints_state_check;
       ALTER TABLE projection_checkpoints ADD CONSTRAINT projection_checkpoints_state_check
         CHECK (state IN ('building', 'live', 'retired', 'snapshot'));
     END IF;
   END $$`,
  `CREATE UNIQUE INDEX IF NOT EXISTS projection_checkpoints_one_live ON projection_checkpoints (projection) WHERE state = 'live'`,
  `CREATE TABLE IF NOT EXISTS projection_jobs (
     id text PRIMARY KEY,
     projection text,
     to_position bigint,
     to_time timestamptz,
     state text NOT NULL CHECK (state IN ('running', 'done', 'failed')),
     processed bigint NOT NULL DEFAULT 0,
     total bigint NOT NULL DEFAULT 0,
     error text,
     created_at timestamptz NOT NULL DEFAULT now(),
     finished_at timestamptz)`,
  `CREATE TABLE IF NOT EXISTS projection_snapshots (
     id text PRIMARY KEY,
     job_id text NOT NULL,
     to_position bigint,
     to_time timestamptz,
     -- the last position the snapshot reads: toPosition, or the head of the log when a toTime snapshot was asked for
     stop_position bigint NOT NULL,
     state text NOT NULL CHECK (state IN ('building', 'ready', 'failed')),
     error text,
     created_at timestamptz NOT NULL DEFAULT now(),
     ready_at timestamptz,
     CHECK ((to_position IS NULL) <> (to_time IS NULL)))`,
];

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

export async function createBookkeeping(sql: Sql): Promise<void> {
  for (const statement of bookkeepingDdl) await sql.query(statement);
}

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
 * Makes sure every projection has a live slot. A projection seen for the first time gets a live slot
 * filled from the start; one whose live slot has an older version gets a building slot of the new
 * version, and keeps answering reads from the old one until the new one has caught up.
 */
export async function ensureSlots(sql: Sql, projections: readonly Projection[]): Promise<void> {
  await createBookkeeping(sql);
  await sql.query('BEGIN');
  try {
    await sql.query('SELECT pg_advisory_xact_lock($1)', [SLOTS_LOCK]);
    for (const projection of projections) {
      const existing = await rows<SlotRow>(
        sql,
        `SELECT * FROM projection_checkpoints WHERE projection = $1 AND state IN ('live', 'building') AND snapshot_id IS NULL`,
        [projection.name],
      );
      const live = existing.find((slot) => slot.state === 'live');
      if (!live) {
        await createSlot(sql, projection, 'live');
      } else if (
        live.version !== projection.version &&
        !existing.some((s) => s.version === projection.version)
      ) {
        const jobId = `upgrade-${projection.name}-v${projection.version}`;
        await sql.query(
          `INSERT INTO projection_jobs (id, projection, state) VALUES ($1, $2, 'running') ON CONFLICT (id) DO NOTHING`,
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
