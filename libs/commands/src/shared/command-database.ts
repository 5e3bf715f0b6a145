import { Logger } from '@nestjs/common';
import type pg from 'pg';
import { openPool } from '#platform';
import { migrateSchema } from '#schema';
import { commandSchema } from './command-schema.js';

export const COMMAND_DB = Symbol('COMMAND_DB');

/**
 * The command side's own connections. Two pools, because a shift command holds a connection while it
 * waits for its member's advisory lock: if the lock holders drew from the same pool as the directory
 * catch-up they need to finish, enough waiting requests would starve the one holding the lock.
 */
export class CommandDatabase {
  readonly pool: pg.Pool;
  readonly lockPool: pg.Pool;

  constructor(config: pg.PoolConfig) {
    const warn = (error: Error) => new Logger('CommandDatabase').warn(error.message);
    this.pool = openPool({ ...config, max: 6 }, warn);
    this.lockPool = openPool({ ...config, max: 24 }, warn);
  }

  /** Applies the command side's migrations not yet applied (#schema; safe from several processes at once). */
  migrate(): Promise<void> {
    return migrateSchema(this.pool, commandSchema);
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.end(), this.lockPool.end()]);
  }
}
