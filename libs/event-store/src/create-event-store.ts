import type pg from 'pg';
import type { EventStore } from './event-store.port.js';
import { createEventStoreDbStore } from './eventstoredb/eventstoredb-event-store.js';
import { PostgresEventStore } from './postgres/postgres-event-store.js';

export function createPostgresEventStore(
  options:
    | { connectionString: string; maxConnections?: number; pollIntervalMs?: number }
    | { pool: pg.Pool; pollIntervalMs?: number },
): PostgresEventStore {
  return new PostgresEventStore(options);
}

export type EventStoreFromEnv = EventStore & { init(): Promise<void> };

/**
 * The adapter the environment asks for: EventStoreDB when EVENTSTORE_URL is set, else PostgreSQL on
 * DATABASE_URL (or the pool given). Call `init()` before use.
 */
export async function createEventStoreFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  pool?: pg.Pool,
): Promise<EventStoreFromEnv> {
  if (env.EVENTSTORE_URL) {
    return createEventStoreDbStore(env.EVENTSTORE_URL);
  }
  if (pool) return createPostgresEventStore({ pool });
  if (!env.DATABASE_URL)
    throw new Error('set DATABASE_URL (PostgreSQL event store) or EVENTSTORE_URL (EventStoreDB)');
  return createPostgresEventStore({ connectionString: env.DATABASE_URL });
}
