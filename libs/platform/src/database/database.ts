import { join } from 'node:path';
import type pg from 'pg';
import { pendingMigrations, schemaExists, type SchemaComponent } from '#schema';
import type { AppConfig } from '../config/app-config.js';
import {
  holdsCluster,
  pidIn,
  processAlive,
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from './embedded-postgres.js';

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
  options: { existingOnly?: boolean; keepRunning?: KeepRunning } = {},
): Promise<DatabaseHandle> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: false, stop: async () => {} };
  if (options.existingOnly && !holdsCluster(config.dataDir))
    throw new NoEventLog(
      `no event log in ${databaseLabel(config)}: there is no database there (none was created). ` +
        "Export the server's DATA_DIR (or DATABASE_URL).",
    );
  const server = await startEmbeddedPostgres({ dataDir: config.dataDir, log });
  if (!options.keepRunning) return { url: server.url, embedded: true, stop: () => server.stop() };
  return keepRunning(server, config.dataDir, log, options.keepRunning);
}

/**
 * A long-lived process's answer to `onLost`: an error line, then exit 1, as when any part of it dies
 * (the start command exits non-zero for its supervisor to restart it).
 */
export function exitForRestart(logger: { error(message: string): void }, why: string): void {
  logger.error(`${why}: exiting for a restart`);
  process.exit(1);
}

/** What a long-lived process does when its embedded cluster cannot be had back at its address. */
export type KeepRunning = Readonly<{ onLost: (why: string) => void; everyMs?: number }>;

/**
 * A server or worker outlives its embedded cluster's death: a postmaster killed (by the kernel's OOM
 * killer, by hand) left every pool refusing connections and the API answering 503 until someone
 * restarted it. The postmaster's pid file is looked at every `everyMs`; when its process is gone the
 * cluster is started again on its port (crash recovery replays the WAL), and the pools, which
 * reconnect by themselves, find it there. Where it cannot come back on the same port, the pools'
 * address is wrong for good: `onLost` says so, and the process exits for its supervisor to restart it.
 */
function keepRunning(
  first: EmbeddedPostgres,
  dataDir: string,
  log: (line: string) => void,
  { onLost, everyMs = 2_000 }: KeepRunning,
): DatabaseHandle {
  let current = first;
  let stopping = false;
  let checking = false;
  // The start under way, if any: stop() waits for it, else a process stopped meanwhile exited before
  // the cluster it was starting answered, and left it running with nobody to stop it.
  let restarting: Promise<void> = Promise.resolve();
  const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
  const check = () => {
    if (checking || stopping || postmasterRunning(pidFile)) return;
    checking = true;
    restarting = restart();
  };
  const restart = async () => {
    try {
      log('the embedded PostgreSQL has gone (its postmaster is not running): starting it again');
      const next = await startEmbeddedPostgres({ dataDir, log });
      if (stopping) await next.stop();
      else if (next.url !== first.url) {
        await next.stop({ force: true });
        onLost(`the embedded PostgreSQL came back at ${next.url}, not at ${first.url}`);
      } else current = next;
    } catch (error) {
      // e.g. the dead postmaster's backends still hold its shared memory: the next look tries again
      log(`the embedded PostgreSQL did not start again yet: ${(error as Error).message}`);
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(check, everyMs);
  timer.unref();
  return {
    url: first.url,
    embedded: true,
    stop: async () => {
      stopping = true;
      clearInterval(timer);
      await restarting; // stops what it started, seeing `stopping`
      await current.stop();
    },
  };
}

/** Whether the process named by a postmaster.pid file (its first line) is alive. */
function postmasterRunning(pidFile: string): boolean {
  const pid = pidIn(pidFile);
  return pid !== undefined && processAlive(pid);
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
