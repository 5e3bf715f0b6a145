export * from './relay.module.js';
export * from './relay/kafka-relay.js';
export type { RelayStatus } from './relay/relay-status.js';
export * from './relay/integration-message.js';
export * from './relay/relay-options.js';
export * from './relay/relay-observer.js';
export * from './relay/relay-checkpoint.store.js';
export * from './dashboard-feed/campaign-counters.js';
export * from './dashboard-feed/dashboard-feed.consumer.js';
