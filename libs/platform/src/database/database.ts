import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { pendingMigrations, schemaExists, type SchemaComponent } from '#schema';
import type { AppConfig } from '../config/app-config.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';

/** Where the process's data lives: DATABASE_URL, or an embedded PostgreSQL under DATA_DIR. */
export type DatabaseHandle = Readonly<{ url: string; embedded: boolean; stop(): Promise<void> }>;

/**
 * A read-only command (verify, status, export) found no event log where it looked: no embedded
 * cluster in DATA_DIR, or a database without this application's schema. It created none, and says
 * where it looked, since an auditor pointed at the wrong database must not be told all is well.
 */
export class NoEventLog extends Error {
  override name = 'NoEventLog';
}

/**
 * A read-only command found the schema of an older version of this application: it migrates nothing
 * (that is the server's work, at its start) and says so.
 */
export class SchemaOutdated extends Error {
  override name = 'SchemaOutdated';
}

/**
 * `existingOnly` (the read-only commands): never initialise an embedded cluster; refuse with
 * NoEventLog where DATA_DIR holds none.
 */
export async function openDatabase(
  config: Pick<AppConfig, 'databaseUrl' | 'dataDir'>,
  log: (line: string) => void = () => {},
  options: { existingOnly?: boolean } = {},
): Promise<DatabaseHandle> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: false, stop: async () => {} };
  if (options.existingOnly && !existsSync(join(config.dataDir, 'postgres', 'PG_VERSION')))
    throw new NoEventLog(
      `no event log in ${databaseLabel(config)}: there is no database there (none was created). ` +
        "Export the server's DATA_DIR (or DATABASE_URL).",
    );
  const server = await startEmbeddedPostgres({ dataDir: config.dataDir, log });
  return { url: server.url, embedded: true, stop: () => server.stop() };
}

/** Refuses (NoEventLog) a database this application's schema was never migrated into, creating nothing. */
export async function requireEventLog(
  pool: pg.Pool,
  config: Pick<AppConfig, 'databaseUrl' | 'dataDir'>,
): Promise<void> {
  if (await schemaExists(pool)) return;
  throw new NoEventLog(
    `no event log in ${databaseLabel(config)}: the database holds no schema of this application, ` +
      "hence no events (nothing was created in it). Point DATABASE_URL (or DATA_DIR) at the server's.",
  );
}

/**
 * Refuses (SchemaOutdated) a database where a migration of `components` is still to be applied,
 * applying none: an older schema is migrated by the server when it starts, never by a command that
 * only reads.
 */
export async function requireMigrated(
  pool: pg.Pool,
  config: Pick<AppConfig, 'databaseUrl' | 'dataDir'>,
  ...components: readonly SchemaComponent[]
): Promise<void> {
  const pending = await pendingMigrations(pool, ...components);
  if (pending.length === 0) return;
  throw new SchemaOutdated(
    `the schema in ${databaseLabel(config)} needs migrating (${pending.join(', ')} not applied): ` +
      'start the server of this version (npm start) once, which migrates it, then run this again. ' +
      'Nothing was changed.',
  );
}

/** The database, as a person recognises it: DATABASE_URL without its password, or the embedded cluster's directory. */
export function databaseLabel(config: Pick<AppConfig, 'databaseUrl' | 'dataDir'>): string {
  return config.databaseUrl
    ? `PostgreSQL at ${redactedUrl(config.databaseUrl)}`
    : `the embedded PostgreSQL in ${join(config.dataDir, 'postgres')}`;
}

/** A connection URL without its password. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}
