import type pg from 'pg';
import { createEventStoreFromEnv, type EventStore } from '#event-store';
import type { AppConfig } from './config/app-config.js';

/**
 * The process's event store: PostgreSQL on the shared pool by default, EventStoreDB when
 * EVENTSTORE_URL is set. Initialised (schema migrations) before anyone uses it.
 */
export async function createEventStore(config: AppConfig, pool: pg.Pool): Promise<EventStore> {
  const env = config.eventStoreUrl ? { EVENTSTORE_URL: config.eventStoreUrl } : {};
  const store = await createEventStoreFromEnv(env, pool);
  await store.init();
  return store;
}
