import type pg from 'pg';
import { migrateSchema, type SchemaComponent } from '#schema';

/**
 * The runner's bookkeeping tables, in the public schema, as the projections' numbered list for the
 * schema runner (#schema): slots and their checkpoints, rebuild jobs, snapshots (see checkpoints.ts).
 */
export const projectionsSchema: SchemaComponent = {
  name: 'projections',
  migrations: [
    {
      version: 1,
      // The statements the runner ran at every start before #schema, each idempotent, so that a
      // database made then upgrades (and one made before snapshots existed gains them: the guarded
      // constraint swap takes its lock only where the column is missing).
      name: 'slots, jobs and snapshots',
      sql: [
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
      ].join(';\n'),
    },
    {
      version: 2,
      // TypeORM ran the read models' first migration (the tables above) and kept its own ledger.
      name: 'drop the TypeORM ledger #schema replaced',
      sql: `DROP TABLE IF EXISTS read_model_migrations`,
    },
    {
      version: 3,
      // The moment a snapshot stands at, for answers that depend on the clock (an open shift's
      // `overdue`, a posting streak's "today"): its toTime, or when its last event was recorded.
      // Snapshots made before it have none and are judged at their created_at.
      name: "snapshots' moment",
      sql: `ALTER TABLE projection_snapshots ADD COLUMN IF NOT EXISTS as_of timestamptz`,
    },
  ],
};

/** Applies the bookkeeping's migrations not yet applied (safe from several processes at once). */
export function migrateReadModels(pool: pg.Pool): Promise<void> {
  return migrateSchema(pool, projectionsSchema);
}
