export * from './event-store.port.js';
export type { DomainRecordedEvent } from './domain-recorded-event.js';
export * from './hash-chain.js';
export * from './postgres/postgres-event-store.js';
export { isConnectionFailure, isOutOfResources } from './postgres/connection-failure.js';
export { eventStoreSchema, migrate as migrateEventStore } from './postgres/migrations.js';
export * from './create-event-store.js';
export {
  EventStoreDbEventStore,
  createEventStoreDbStore,
} from './eventstoredb/eventstoredb-event-store.js';
export * from './merkle/index.js';
// The PostgreSQL adapter's row and its mapping, for tools that read the events table directly.
export type { AlongsideRow, EventRow } from './postgres/sql.js';
export {
  HORIZON,
  lockStreamStatement,
  selectHeadVersions,
  sharedStreamLock,
  streamLock,
} from './postgres/sql.js';
export { toRecordedEvent } from './postgres/row-mapping.js';
