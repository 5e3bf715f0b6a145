import { Logger } from '@nestjs/common';
import type pg from 'pg';
import { openPool } from '#platform';
import { migrateSchema } from '#schema';
import { prepareDirectoryQuestion } from '../directory/directory-question.js';
import { commandSchema } from './command-schema.js';

export const COMMAND_DB = Symbol('COMMAND_DB');

const undefinedTable = '42P01';

/**
 * The command side's own connections. Two pools: `pool` for single statements (the directory's
 * reads and catch-up, the log's reads), `writePool` for the transactions that append a command's
 * events with its log row. A shift command's transaction holds its connection from the member's
 * lock to the commit: if it drew from the same pool as the reads it needs meanwhile, enough waiting
 * commands would starve the one holding the lock.
 *
 * Each write connection prepares the directory's catch-up question when it opens, before its first
 * transaction (a pool's 'connect' listener runs first on a new client): a guarded command asks it in
 * the message that takes its locks. Without the event store's table in this database (EventStoreDB)
 * the PREPARE fails, and the question is never asked.
 */
export class CommandDatabase {
  readonly pool: pg.Pool;
  readonly writePool: pg.Pool;

  constructor(config: pg.PoolConfig) {
    const warn = (error: Error) => new Logger('CommandDatabase').warn(error.message);
    this.pool = openPool({ ...config, max: 6 }, warn);
    this.writePool = openPool({ ...config, max: 24 }, warn);
    this.writePool.on('connect', (client) => {
      client.query(prepareDirectoryQuestion).catch((error: Error & { code?: string }) => {
        if (error.code !== undefinedTable) warn(error);
      });
    });
  }

  /** Applies the command side's migrations not yet applied (#schema; safe from several processes at once). */
  migrate(): Promise<void> {
    return migrateSchema(this.pool, commandSchema);
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.end(), this.writePool.end()]);
  }
}
