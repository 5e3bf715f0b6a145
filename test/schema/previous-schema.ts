/**
 * The schema a database had before #schema, statement for statement as the code of that time ran
 * it (copied from the commit before the runner: event-store migrations.ts with its own ledger,
 * command-database.ts, personal-data.vault.ts, audit-log.schema.ts, relay-checkpoint.store.ts,
 * checkpoints.ts, and the ledger TypeORM kept for the read models' migration). Frozen: it is what
 * existing databases hold, whatever the components' lists become.
 */
export const previousSchema: readonly string[] = [
  // the event store's own runner: its ledger, then migration 1
  `CREATE TABLE IF NOT EXISTS event_store_migrations (
          version    integer     PRIMARY KEY,
          name       text        NOT NULL,
          applied_at timestamptz NOT NULL DEFAULT now()
        )`,
  `CREATE TABLE events (
        global_position bigint      NOT NULL PRIMARY KEY,
        stream_id       text        NOT NULL,
        version         bigint      NOT NULL,
        event_id        text        NOT NULL,
        type            text        NOT NULL,
        schema_version  integer     NOT NULL,
        data            jsonb       NOT NULL,
        metadata        jsonb       NOT NULL,
        hash            text        NOT NULL,
        previous_hash   text,
        recorded_at     timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT events_stream_version_key UNIQUE (stream_id, version),
        CONSTRAINT events_event_id_key UNIQUE (event_id),
        CONSTRAINT events_version_check CHECK (version >= 0)
      );`,
  `INSERT INTO event_store_migrations (version, name) VALUES (1, 'events')`,
  // the command side, at every start
  `CREATE TABLE IF NOT EXISTS command_log (
  command_key  text PRIMARY KEY,
  route        text NOT NULL,
  body_hash    text NOT NULL,
  result       jsonb,
  claimed_at   timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz
);
-- The data subject whose personal data a command's body carries: erasing them forgets the body hash.
ALTER TABLE command_log ADD COLUMN IF NOT EXISTS subject text;
CREATE INDEX IF NOT EXISTS command_log_subject ON command_log (subject) WHERE subject IS NOT NULL;
-- The write-side directory: what decisions need beyond their own stream, derived only from the log.
CREATE TABLE IF NOT EXISTS cmd_directory_checkpoint (name text PRIMARY KEY, position bigint NOT NULL);
CREATE TABLE IF NOT EXISTS cmd_units (
  unit_id text PRIMARY KEY, parent_id text, kind text NOT NULL,
  path text[] NOT NULL -- ancestors from the root down to the unit itself
);
CREATE INDEX IF NOT EXISTS cmd_units_path ON cmd_units USING gin (path);
CREATE TABLE IF NOT EXISTS cmd_members (
  member_id text PRIMARY KEY, unit_id text NOT NULL, erased boolean NOT NULL DEFAULT false,
  version bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS cmd_campaigns (
  campaign_id text PRIMARY KEY, unit_id text NOT NULL, timezone text NOT NULL,
  start_date text NOT NULL, end_date text NOT NULL, window_from text NOT NULL, window_to text NOT NULL,
  service_types jsonb, closed boolean NOT NULL DEFAULT false, version bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS cmd_shifts (
  shift_id text PRIMARY KEY, member_id text NOT NULL, campaign_id text,
  started_at timestamptz NOT NULL, ended_at timestamptz, status text NOT NULL, version bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS cmd_shifts_member ON cmd_shifts (member_id, started_at);`,
  // the personal-data vault, at every start
  `CREATE TABLE IF NOT EXISTS personal_data_keys (
  subject_id text PRIMARY KEY,
  key bytea NOT NULL CHECK (octet_length(key) = 32),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS personal_data_erasures (
  subject_id text PRIMARY KEY,
  erased_at timestamptz NOT NULL DEFAULT now()
);`,
  // the verifiable log, at every start
  `CREATE TABLE IF NOT EXISTS audit_log_hashes (
    level smallint NOT NULL,
    idx   bigint   NOT NULL,
    hash  bytea    NOT NULL,
    PRIMARY KEY (level, idx)
  );
  CREATE TABLE IF NOT EXISTS audit_log_leaves (
    leaf_index      bigint NOT NULL PRIMARY KEY,
    event_id        text   NOT NULL,
    global_position bigint NOT NULL,
    hash            bytea  NOT NULL
  );
  -- Found by event id for a proof. A hash index: a 4-byte hash per row instead of the whole id, cheaper
  -- to keep up as the tree grows (a B-tree on the text id halved the append rate). No uniqueness needed:
  -- the appender takes only events past the tree's position, under the state row's lock.
  CREATE INDEX IF NOT EXISTS audit_log_leaves_event_id ON audit_log_leaves USING hash (event_id);
  CREATE TABLE IF NOT EXISTS audit_log_state (
    id        boolean NOT NULL PRIMARY KEY DEFAULT true CHECK (id),
    tree_size bigint  NOT NULL,
    position  bigint  NOT NULL
  );
  INSERT INTO audit_log_state (tree_size, position) VALUES (0, 0) ON CONFLICT DO NOTHING;
  CREATE TABLE IF NOT EXISTS audit_log_checkpoints (
    tree_size bigint      NOT NULL PRIMARY KEY,
    root_hash bytea       NOT NULL,
    signed_at timestamptz NOT NULL DEFAULT now(),
    note      text        NOT NULL
  );`,
  // the relay, at every start
  `CREATE TABLE IF NOT EXISTS relay_checkpoints (
         name text PRIMARY KEY,
         position bigint NOT NULL,
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
  // the projection runner's bookkeeping, at every start and from the TypeORM migration

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
  // TypeORM's ledger of that migration
  `CREATE TABLE read_model_migrations (id SERIAL NOT NULL, "timestamp" bigint NOT NULL, name character varying NOT NULL,
     CONSTRAINT "PK_read_model_migrations" PRIMARY KEY (id))`,
  `INSERT INTO read_model_migrations ("timestamp", name) VALUES (1764100000000, 'CreateReadModels1764100000000')`,
];
