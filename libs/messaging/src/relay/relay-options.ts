import type { EventFilter, EventStore } from '#event-store';
import type pg from 'pg';

export type RelayLogger = Readonly<{ log(message: string): void; warn(message: string): void }>;

export type KafkaRelayOptions = Readonly<{
  eventStore: EventStore;
  /** Where `relay_checkpoints` lives: the event store's database. */
  pool: pg.Pool;
  /** `host:port` list, as an array or comma-separated. */
  brokers: readonly string[] | string;
  /** Checkpoint row and metrics label; two relays with different names publish independently. */
  name?: string;
  /** Topics are `<prefix><category>`: `vc.shift`, `vc.campaign`, ... */
  topicPrefix?: string;
  partitions?: number;
  /** -1 lets the broker choose (its `default.replication.factor`). */
  replicationFactor?: number;
  /** Most events read and acknowledged together (one checkpoint write). */
  batchSize?: number;
  /** A batch is split into consecutive requests so that no partition gets more than this per request (broker limit: 1 MB). */
  maxPartitionBytes?: number;
  /** How long a batch may wait for more events after its first one before it is sent. */
  lingerMs?: number;
  compression?: 'none' | 'gzip';
  /** First retry delay after a failure; doubles on each consecutive failure up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** A batch unacknowledged for longer makes the relay report itself degraded (default 10 s). */
  stallAfterMs?: number;
  /** How often a relay that stands by (another of its name publishes) asks to take over (default 2 s). */
  standbyMs?: number;
  /** How often the relay that publishes stores its status for other processes (default 5 s). */
  reportEveryMs?: number;
  /** How long `stop()` waits for the broker to acknowledge the batch in flight (default 5 s). */
  stopGraceMs?: number;
  clientId?: string;
  filter?: EventFilter;
  logger?: RelayLogger;
  /** Told when a batch is handed to the producer (before the acknowledgement): for tests and tracing. */
  onBatchSending?: (events: number, lastPosition: bigint) => void;
}>;

export type ResolvedRelayOptions = Required<
  Omit<KafkaRelayOptions, 'filter' | 'brokers' | 'onBatchSending'>
> & {
  brokers: string[];
  filter: EventFilter | undefined;
  onBatchSending: KafkaRelayOptions['onBatchSending'];
};

const consoleLogger: RelayLogger = {
  log: (message) => console.log(`[kafka-relay] ${message}`),
  warn: (message) => console.warn(`[kafka-relay] ${message}`),
};

export function resolveRelayOptions(options: KafkaRelayOptions): ResolvedRelayOptions {
  const brokers =
    typeof options.brokers === 'string' ? options.brokers.split(',') : [...options.brokers];
  return {
    eventStore: options.eventStore,
    pool: options.pool,
    brokers: brokers.map((b) => b.trim()).filter((b) => b.length > 0),
    name: options.name ?? 'kafka-relay',
    topicPrefix: options.topicPrefix ?? 'vc.',
    partitions: options.partitions ?? 6,
    replicationFactor: options.replicationFactor ?? -1,
    batchSize: options.batchSize ?? 4000,
    maxPartitionBytes: options.maxPartitionBytes ?? 900_000,
    lingerMs: options.lingerMs ?? 20,
    compression: options.compression ?? 'none',
    initialBackoffMs: options.initialBackoffMs ?? 250,
    maxBackoffMs: options.maxBackoffMs ?? 15_000,
    stopGraceMs: options.stopGraceMs ?? 5_000,
    standbyMs: options.standbyMs ?? 2_000,
    reportEveryMs: options.reportEveryMs ?? 5_000,
    stallAfterMs: options.stallAfterMs ?? 10_000,
    clientId: options.clientId ?? `volunteer-campaigns-${options.name ?? 'kafka-relay'}`,
    filter: options.filter,
    onBatchSending: options.onBatchSending,
    logger: options.logger ?? consoleLogger,
  };
}

/** Exponential backoff, capped, with up to 20 % jitter so that restarted relays do not retry in step. */
export function backoffDelay(failures: number, initialMs: number, maxMs: number): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (0.8 + Math.random() * 0.2));
}
