import type pg from 'pg';

/** One change to a component's tables, numbered from 1. Released migrations are never edited: add the next number. */
export type Migration = Readonly<{ version: number; name: string; sql: string }>;

/**
 * The tables one part of the system owns (the event store, the command side, the read models'
 * bookkeeping, …), as an append-only list of migrations. Each component keeps its list beside the code
 * that reads those tables and migrates at start, so a test or a tool that opens one component alone
 * gets that component's tables. Migration 1 of a component is the schema it created before this runner
 * existed, written to be idempotent (`IF NOT EXISTS`), so that a database made by that code upgrades:
 * its tables are there, only the ledger rows are missing. Later migrations need no such care.
 *
 * The SQL lives in TypeScript so that the build (tsc) ships it without copying assets.
 */
export type SchemaComponent = Readonly<{ name: string; migrations: readonly Migration[] }>;

/** The one ledger of every component's applied migrations. */
const LEDGER = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    component  text        NOT NULL,
    version    integer     NOT NULL,
    name       text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (component, version)
  )`;

/**
 * Any constant works; it only has to be the same in every process that migrates this database. It is
 * the one the event store's own runner took before this one replaced it, so during an upgrade an old
 * process and a new one never migrate at the same time.
 */
const MIGRATION_LOCK = 7_320_451_902_118_004n.toString();

/**
 * Applies the migrations of `components` not yet in the ledger, in order, each in one transaction with
 * its ledger row (so no statement that refuses a transaction, like `CREATE INDEX CONCURRENTLY`). A
 * session advisory lock makes processes that start at once (api, worker, tests, the CLI) migrate one
 * after the other: the first applies, the others find the rows and apply nothing.
 */
export async function migrateSchema(
  pool: pg.Pool,
  ...components: readonly SchemaComponent[]
): Promise<void> {
  for (const component of components) checkNumbering(component);
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(LEDGER);
    await refuseNewer(client, components);
    for (const component of components) await applyPending(client, component);
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  } catch (error) {
    // Destroys the connection rather than returning it: the session, and the lock with it, ends here
    // even when the failure was the connection itself and no unlock could be sent.
    client.release(error as Error);
    throw error;
  }
  client.release();
}

/**
 * Whether this application's schema was ever migrated into the database (the ledger exists): the
 * read-only commands leave a database without it as they found it rather than create it there.
 */
export async function schemaExists(pool: pg.Pool): Promise<boolean> {
  const { rows } = await pool.query<{ present: boolean }>(
    `SELECT to_regclass('schema_migrations') IS NOT NULL AS present`,
  );
  return rows[0]!.present;
}

/**
 * The migrations of `components` the ledger does not list (`event-store 2 (name)`), applying none: a
 * command that only reads refuses an older schema rather than migrate it behind the server's back.
 */
export async function pendingMigrations(
  pool: pg.Pool,
  ...components: readonly SchemaComponent[]
): Promise<string[]> {
  if (!(await schemaExists(pool)))
    return components.flatMap((c) => c.migrations.map((m) => `${c.name} ${m.version}`));
  const { rows } = await pool.query<{ component: string; version: number }>(
    'SELECT component, version FROM schema_migrations WHERE component = ANY($1::text[])',
    [components.map((c) => c.name)],
  );
  const applied = new Set(rows.map((row) => `${row.component} ${row.version}`));
  return components.flatMap((c) =>
    c.migrations
      .filter((m) => !applied.has(`${c.name} ${m.version}`))
      .map((m) => `${c.name} ${m.version} (${m.name})`),
  );
}

/** A database a newer release migrated: its tables are not the ones this code knows. */
export class SchemaNewerThanCode extends Error {
  constructor(readonly unknown: readonly string[]) {
    super(
      `the database was migrated by a newer release of this application: it holds ${unknown.join(', ')}, ` +
        'which this release does not know. Start that release (or a later one) on it, or restore a ' +
        'backup taken before the upgrade; this release changes nothing in it.',
    );
    this.name = 'SchemaNewerThanCode';
  }
}

/**
 * Refuses, before applying anything, a ledger holding migrations of these components beyond their
 * lists: an older release started on a database a newer one migrated (a rollback, an old process left
 * in a rolling deploy) found every migration it knew applied and ran on tables whose meaning had moved
 * on, writing rows the newer code then read as its own.
 */
async function refuseNewer(
  client: pg.PoolClient,
  components: readonly SchemaComponent[],
): Promise<void> {
  const { rows } = await client.query<{ component: string; version: number; name: string }>(
    'SELECT component, version, name FROM schema_migrations WHERE component = ANY($1::text[]) ORDER BY component, version',
    [components.map((c) => c.name)],
  );
  const known = new Map(components.map((c) => [c.name, c.migrations.length]));
  const unknown = rows
    .filter((row) => row.version > known.get(row.component)!)
    .map((row) => `${row.component} ${row.version} (${row.name})`);
  if (unknown.length > 0) throw new SchemaNewerThanCode(unknown);
}

async function applyPending(client: pg.PoolClient, component: SchemaComponent): Promise<void> {
  const applied = await client.query<{ version: number }>(
    'SELECT version FROM schema_migrations WHERE component = $1',
    [component.name],
  );
  const done = new Set(applied.rows.map((row) => row.version));
  for (const migration of component.migrations) {
    if (done.has(migration.version)) continue;
    await client.query('BEGIN');
    try {
      await client.query(migration.sql);
      await client.query(
        'INSERT INTO schema_migrations (component, version, name) VALUES ($1, $2, $3)',
        [component.name, migration.version, migration.name],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined); // the connection may be gone: keep the cause
      throw error;
    }
  }
}

/** 1, 2, 3, … with no gap or repeat: a list edited out of order fails at the first start, in any test. */
function checkNumbering(component: SchemaComponent): void {
  component.migrations.forEach((migration, index) => {
    if (migration.version !== index + 1)
      throw new Error(
        `schema ${component.name}: migration ${migration.name} is numbered ${migration.version}, expected ${index + 1}`,
      );
  });
}
