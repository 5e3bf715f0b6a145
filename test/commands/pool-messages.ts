import type { INestApplication } from '@nestjs/common';
import type pg from 'pg';
import { PG_POOL } from '#platform';
import {
  COMMAND_DB,
  type CommandDatabase,
} from '../../libs/commands/src/shared/command-database.js';

/** The messages an app sends to PostgreSQL while a command runs, counted on its own pools. */
export type PoolMessages = Readonly<{
  /** The messages sent while `command` ran (each with its values, if any), after its answer. */
  of(command: () => Promise<{ status: number }>): Promise<{ status: number; messages: string[] }>;
}>;

/**
 * Counts every message on the app's pools: the command side's two, and the shared one the event store
 * reads through. The feed's wake-up (a NOTIFY, sent after the commit and coalesced across commands)
 * is not part of a command's path and is left out.
 */
export function countPoolMessages(app: INestApplication): PoolMessages {
  let sent: string[] | undefined;
  const counted = new WeakSet<pg.ClientBase>();
  const count = (client: pg.PoolClient) => {
    if (counted.has(client)) return;
    counted.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const [first, second] = args as [string | { text: string; values?: unknown[] }, unknown];
      const text = typeof first === 'string' ? first : first.text;
      const values = typeof first === 'string' ? second : (first.values ?? second);
      const message = text.replace(/\s+/g, ' ').trim();
      if (!text.includes('pg_notify'))
        sent?.push(Array.isArray(values) ? `${message} -- ${JSON.stringify(values)}` : message);
      return query(...args);
    };
  };
  const db = app.get<CommandDatabase>(COMMAND_DB);
  for (const pool of [db.pool, db.writePool, app.get<pg.Pool>(PG_POOL)]) pool.on('acquire', count);
  return {
    of: async (command) => {
      sent = [];
      try {
        const { status } = await command();
        return { status, messages: sent };
      } finally {
        sent = undefined;
      }
    },
  };
}
