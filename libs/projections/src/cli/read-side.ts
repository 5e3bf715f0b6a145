import type pg from 'pg';
import type { EventStore } from '#event-store';
import { createEventStore, loadConfig, openDatabase, openPool, PersonalDataVault } from '#platform';
import { projections } from '../read-models/registry.js';
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
 * the event store and a runner over every projection (its `prepare` migrates the read models' tables).
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
