import type pg from 'pg';

/**
 * Schema changes of the PostgreSQL adapter, numbered and applied in order by `migrate()`. A released
 * migration is never edited: add the next number instead. The SQL lives in TypeScript so that the
 * build (tsc) ships it without copying assets.
 */
export const migrations: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'events',
    sql: `
      CREATE TABLE events (
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
];

/** Any constant works; it only has to be the same in every process that migrates this database. */
const MIGRATION_LOCK = 7_320_451_902_118_004n;

/**
 * Applies the migrations not yet recorded, under a session advisory lock so that several processes
 * starting at once (api, worker, tests) migrate once and the others wait for them.
 */
export async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK.toString()]);
    try {
      await client.query(`
        CREATE TABLE IF NOT EXISTS event_store_migrations (
          version    integer     PRIMARY KEY,
          name       text        NOT NULL,
          applied_at timestamptz NOT NULL DEFAULT now()
        )`);
      const applied = await client.query<{ version: number }>(
        'SELECT version FROM event_store_migrations',
      );
      const done = new Set(applied.rows.map((row) => row.version));
      for (const migration of migrations) {
        if (done.has(migration.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO event_store_migrations (version, name) VALUES ($1, $2)', [
            migration.version,
            migration.name,
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK.toString()]);
    }
  } finally {
    client.release();
  }
}
