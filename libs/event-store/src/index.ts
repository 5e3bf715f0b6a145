export * from './event-store.port.js';
export * from './hash-chain.js';
export * from './postgres/postgres-event-store.js';
export { isConnectionFailure } from './postgres/connection-failure.js';
export { migrate as migrateEventStore } from './postgres/migrations.js';
export * from './create-event-store.js';
export {
  EventStoreDbEventStore,
  createEventStoreDbStore,
} from './eventstoredb/eventstoredb-event-store.js';
export * from './merkle/index.js';
