import type pg from 'pg';
import { migrateSchema, type SchemaComponent } from '#schema';

/**
 * The PostgreSQL adapter's tables, as its numbered list for the schema runner (#schema). A released
 * migration is never edited: add the next number instead.
 */
export const eventStoreSchema: SchemaComponent = {
  name: 'event-store',
  migrations: [
    {
      version: 1,
      name: 'events',
      // IF NOT EXISTS: a database the event store migrated with its own runner (before #schema) has
      // this table already, and its ledger (event_store_migrations) says so in a table #schema does
      // not read.
      sql: `
      CREATE TABLE IF NOT EXISTS events (
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
      );
    `,
    },
    {
      version: 2,
      name: 'drop the ledger of the runner #schema replaced',
      sql: `DROP TABLE IF EXISTS event_store_migrations`,
    },
  ],
};

/** Applies the event store's migrations not yet applied (safe at every start, from several processes). */
export function migrate(pool: pg.Pool): Promise<void> {
  return migrateSchema(pool, eventStoreSchema);
}
