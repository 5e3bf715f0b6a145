import type pg from 'pg';
import type { EventStore } from '#event-store';
import {
  createEventStore,
  databaseLabel,
  loadConfig,
  loadReadOnlyConfig,
  openDatabase,
  openPool,
  PersonalDataVault,
  personalDataSchema,
  eventLogSchema,
  requireEventLog,
  requireMigrated,
} from '#platform';
import { projectionsSchema } from '../runner/bookkeeping.schema.js';
import { projections } from '../read-models/registry.js';
import { ProjectionRunner } from '../runner/projection-runner.js';

export type ReadSide = Readonly<{
  /** The database for messages, without its password (databaseLabel). */
  where: string;
  pool: pg.Pool;
  store: EventStore;
  runner: ProjectionRunner;
  /** SNAPSHOT_LIMIT: what `replay --to-time` may keep, as the server's routes do. */
  snapshotLimit: number;
  /** Opens the names the read models keep sealed. */
  vault: PersonalDataVault;
  close(): Promise<void>;
}>;

/**
 * What the operator's command line needs, with or without a running server: the same database
 * (DATABASE_URL, or the embedded PostgreSQL under DATA_DIR, reused when the server already runs it),
 * the event store and a runner over every projection (its `prepare` migrates the read models' tables).
 * `existingOnly` (the commands that only read: verify, status, export): a database or DATA_DIR without
 * the application's schema is refused (NoEventLog) and left as it was, rather than given an empty
 * schema whose empty log would read as "all is well"; an older schema is refused (SchemaOutdated)
 * rather than migrated, the runner is not prepared, and no secret or key is created in DATA_DIR.
 */
export async function openReadSide(
  log: (line: string) => void = () => {},
  options: { poolSize?: number; existingOnly?: boolean } = {},
): Promise<ReadSide> {
  const readOnly = options.existingOnly === true;
  const config = readOnly ? loadReadOnlyConfig(process.env) : loadConfig(process.env);
  const database = await openDatabase(config, log, options);
  const pool = openPool({ connectionString: database.url, max: options.poolSize ?? 4 });
  try {
    if (readOnly) {
      await requireEventLog(pool, config);
      await requireMigrated(
        pool,
        config,
        ...eventLogSchema(config),
        personalDataSchema,
        projectionsSchema,
      );
    }
    const store = await createEventStore(config, pool, { readOnly });
    const vault = new PersonalDataVault(pool);
    const runner = new ProjectionRunner(pool, store, projections);
    if (!readOnly) {
      await vault.init();
      await runner.prepare();
    }
    return {
      where: databaseLabel(config),
      pool,
      store,
      runner,
      snapshotLimit: config.snapshotLimit,
      vault,
      async close() {
        await store.close().catch(() => undefined);
        await pool.end().catch(() => undefined);
        await database.stop();
      },
    };
  } catch (error) {
    await pool.end().catch(() => undefined);
    await database.stop();
    throw error;
  }
}
