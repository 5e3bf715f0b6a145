import type pg from 'pg';
import { createEventStoreFromEnv, eventStoreSchema, type EventStore } from '#event-store';
import type { SchemaComponent } from '#schema';
import type { AppConfig } from './config/app-config.js';

/**
 * The process's event store: PostgreSQL on the shared pool by default, EventStoreDB when
 * EVENTSTORE_URL is set. Initialised (schema migrations) before anyone uses it; `readOnly`: the
 * PostgreSQL tables are used as they are (the caller checked they need no migration, see
 * requireMigrated), while EventStoreDB is still asked whether it answers.
 */
export async function createEventStore(
  config: Pick<AppConfig, 'eventStoreUrl'>,
  pool: pg.Pool,
  { readOnly = false } = {},
): Promise<EventStore> {
  const env = config.eventStoreUrl ? { EVENTSTORE_URL: config.eventStoreUrl } : {};
  const store = await createEventStoreFromEnv(env, pool);
  if (!readOnly || config.eventStoreUrl) await store.init();
  return store;
}

/** The tables of the event log in PostgreSQL: none when the events live in EventStoreDB. */
export const eventLogSchema = (config: Pick<AppConfig, 'eventStoreUrl'>): SchemaComponent[] =>
  config.eventStoreUrl ? [] : [eventStoreSchema];
