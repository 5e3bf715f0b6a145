/**
 * Nest injection tokens for the infrastructure every module shares. The platform module provides them
 * once per process: one pg pool, one event store.
 */
export const EVENT_STORE = Symbol('EVENT_STORE'); // EventStore (libs/event-store)
export const PG_POOL = Symbol('PG_POOL'); // pg.Pool on DATABASE_URL
export const APP_CONFIG = Symbol('APP_CONFIG'); // AppConfig (libs/platform/src/config)
