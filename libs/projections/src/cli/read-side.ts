import type pg from 'pg';
import { DataSource } from 'typeorm';
import type { EventStore } from '#event-store';
import { createEventStore, loadConfig, openDatabase, openPool, PersonalDataVault } from '#platform';
import { readModelMigrations } from '../migrations/1764100000000-create-read-models.js';
import { projections, readModelEntities } from '../read-models/registry.js';
import { ProjectionRunner } from '../runner/projection-runner.js';

export type ReadSide = Readonly<{
  pool: pg.Pool;
  store: EventStore;
  runner: ProjectionRunner;
  /** Opens the names the read models keep sealed. */
  vault: PersonalDataVault;
  close(): Promise<void>;
}>;

/**
 * What the operator's command line needs, with or without a running server: the same database
 * (DATABASE_URL, or the embedded PostgreSQL under DATA_DIR, reused when the server already runs it),
 * the event store, the read-model migrations and a runner over every projection.
 */
export async function openReadSide(
  log: (line: string) => void = () => {},
  options: { poolSize?: number } = {},
): Promise<ReadSide> {
  const config = loadConfig(process.env);
  const database = await openDatabase(config, log);
  const pool = openPool({ connectionString: database.url, max: options.poolSize ?? 4 });
  try {
    const store = await createEventStore(config, pool);
    const dataSource = new DataSource({
      type: 'postgres',
      url: database.url,
      synchronize: false,
      entities: readModelEntities,
      migrations: readModelMigrations,
      migrationsTableName: 'read_model_migrations',
    });
    await dataSource.initialize();
    await dataSource.runMigrations();
    await dataSource.destroy();
    const vault = new PersonalDataVault(pool);
    await vault.init();
    const runner = new ProjectionRunner(pool, store, projections);
    await runner.prepare();
    return {
      pool,
      store,
      runner,
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
