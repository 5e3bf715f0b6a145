import type pg from 'pg';
import type { EventStore } from '#event-store';
import { loadConfig, loadReadOnlyConfig, type ReadOnlyConfig } from '../config/app-config.js';
import {
  databaseLabel,
  openDatabase,
  requireEventLog,
  requireMigrated,
} from '../database/database.js';
import { openPool } from '../database/pool.js';
import { createEventStore, eventLogSchema } from '../event-store.factory.js';
import { PersonalDataVault } from '../personal-data/personal-data.vault.js';

export type CliContext = Readonly<{
  /** With `existingOnly`, the secret and the signing key only where configured or kept. */
  config: ReadOnlyConfig;
  databaseUrl: string;
  /** The database for messages, without its password (databaseLabel). */
  where: string;
  pool: pg.Pool;
  store: EventStore;
  /** With `existingOnly`, its tables are used as found (no command of that kind opens names yet). */
  vault: PersonalDataVault;
  /** Closes the store and pool, and stops the embedded PostgreSQL if this process started it. */
  close(): Promise<void>;
}>;

/**
 * How every CLI command writes what its database says (the embedded PostgreSQL starting, joined, left
 * running): on stderr, each line marked `[postgres]`, as the worker logs it. The commands each wrote
 * them their own way: `[postgres] …` from `token` and `verify log`, bare from the others, nothing from
 * `seed`.
 */
export const cliDatabaseLog = (line: string): void => {
  process.stderr.write(`[postgres] ${line}\n`);
};

/**
 * What a CLI command needs, without Nest: the same configuration and database as the server. With
 * no DATABASE_URL it joins the embedded PostgreSQL the server runs, or starts it for the command.
 * `existingOnly` (a command that only reads): a database or DATA_DIR without the application's
 * schema is refused (NoEventLog) and left as it was, rather than given an empty schema to read; one
 * with an older schema is refused too (SchemaOutdated), not migrated; and no JWT secret or signing
 * key is created in DATA_DIR.
 */
export async function openCliContext(
  env: Readonly<Record<string, string | undefined>> = process.env,
  options: { existingOnly?: boolean } = {},
): Promise<CliContext> {
  const config = options.existingOnly ? loadReadOnlyConfig(env) : loadConfig(env);
  const database = await openDatabase(config, cliDatabaseLog, options);
  const pool = openPool({ connectionString: database.url, max: 8 });
  try {
    const readOnly = options.existingOnly === true;
    if (readOnly) {
      await requireEventLog(pool, config);
      await requireMigrated(pool, config, ...eventLogSchema(config));
    }
    const store = await createEventStore(config, pool, { readOnly });
    const vault = new PersonalDataVault(pool);
    if (!readOnly) await vault.init();
    return {
      config,
      databaseUrl: database.url,
      where: databaseLabel(config),
      pool,
      store,
      vault,
      close: async () => {
        await store.close().catch(() => {});
        if (!pool.ended) await pool.end().catch(() => {});
        await database.stop();
      },
    };
  } catch (error) {
    await pool.end().catch(() => {});
    await database.stop();
    throw error;
  }
}
