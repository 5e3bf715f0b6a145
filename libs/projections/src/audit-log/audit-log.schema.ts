import type pg from 'pg';
import { migrateSchema, type SchemaComponent } from '#schema';

/**
 * Tables of the verifiable log, beside the read models in the same PostgreSQL (also when the events
 * live in EventStoreDB). Rows are only ever inserted, except the one-row state:
 *
 * - audit_log_leaves: which event is which leaf, and the leaf hash (level 0 of the tree).
 * - audit_log_hashes: the hash of every complete subtree above the leaves, (level ≥ 1, idx) as in
 *   merkle-tree.ts. About one row per event: two rows and three index entries per event in all.
 * - audit_log_state: the tree's size and the feed position of its last leaf, moved in the same
 *   transaction as the rows it counts, like a projection's checkpoint.
 * - audit_log_checkpoints: every signed tree head, with the note exactly as it was signed.
 */
export const auditLogSchema: SchemaComponent = {
  name: 'audit-log',
  migrations: [
    {
      version: 1,
      // What the verifiable log created at every start before #schema: idempotent, so a database made
      // then upgrades.
      name: 'merkle tree and checkpoints',
      sql: `
  CREATE TABLE IF NOT EXISTS audit_log_hashes (
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
  );
`,
    },
  ],
};

/** Applies the verifiable log's migrations not yet applied (safe from several processes at once). */
export function migrateAuditLog(pool: pg.Pool): Promise<void> {
  return migrateSchema(pool, auditLogSchema);
}
