import { randomBytes, randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { register } from 'prom-client';
import {
  createPostgresEventStore,
  type NewEvent,
  type PostgresEventStore,
  type RecordedEvent,
} from '#event-store';
import { parseIntegrationMessage, type IntegrationMessage, type KafkaRelay } from '#messaging';
import { createTestDatabase } from '../harness/database.js';
import { buildGoProgram } from '../harness/go-program.js';

export type StoreFixture = Readonly<{
  url: string;
  store: PostgresEventStore;
  /** For the relay's checkpoint table. */
  pool: pg.Pool;
  close(): Promise<void>;
}>;

/** A database of the suite's own with an initialised event store, and a pool beside it. */
export async function openStoreFixture(prefix: string, poolSize = 4): Promise<StoreFixture> {
  const db = await createTestDatabase(prefix);
  const store = createPostgresEventStore({ connectionString: db.url });
  await store.init();
  const pool = new pg.Pool({ connectionString: db.url, max: poolSize });
  return {
    url: db.url,
    store,
    pool,
    close: async () => {
      await pool.end();
      await store.close();
      await db.drop();
    },
  };
}

/** A topic prefix of its own, so suites sharing one broker never read each other's messages. */
export function uniquePrefix(name: string): string {
  return `t-${name}-${randomBytes(3).toString('hex')}.`;
}

export function newEvent(
  type: string,
  data: Record<string, unknown>,
  occurredAt = '2025-08-09T08:00:00+07:00',
): NewEvent {
  const commandId = randomUUID();
  return {
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    data,
    metadata: {
      occurredAt,
      recordedAt: new Date().toISOString(),
      recordedBy: 'test',
      commandId,
      correlationId: randomUUID(),
      causationId: null,
    },
  };
}

export type Received = Readonly<{
  topic: string;
  partition: number;
  key: string;
  headers: Record<string, string>;
  message: IntegrationMessage;
}>;

/**
 * Reads the given topics from the beginning into `received` until `stop()`; each consumer has a group
 * of its own. Resolves `ready` once the group has joined and partitions are assigned.
 */
export async function collectTopics(
  brokers: string,
  topics: string[],
): Promise<{ received: Received[]; stop: () => Promise<void> }> {
  const kafka = new Kafka({
    clientId: 'relay-test',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    retry: { retries: 20 },
  });
  const consumer = kafka.consumer({ groupId: `relay-test-${randomUUID()}`, maxWaitTimeInMs: 200 });
  const received: Received[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      const headers = Object.fromEntries(
        Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
      );
      received.push({
        topic,
        partition,
        key: String(message.key),
        headers,
        message: parseIntegrationMessage(message.value)!,
      });
    },
  });
  return { received, stop: () => consumer.disconnect() };
}

/** Polls `condition` until it holds, or fails with `what` after `timeoutMs`. */
export async function waitUntil(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Waits until the relay's checkpoint (its last acknowledged event) reaches `position`, or the log's
 * head asked anew at each poll when given as a function; fails with `what` after `timeoutMs`.
 */
export function relayReached(
  relay: Pick<KafkaRelay, 'checkpoint'>,
  position: bigint | (() => Promise<bigint>),
  what: string,
  timeoutMs: number,
): Promise<void> {
  return waitUntil(
    what,
    async () =>
      ((await relay.checkpoint()) ?? -1n) >=
      (typeof position === 'bigint' ? position : await position()),
    timeoutMs,
  );
}

/**
 * Starts the relay, waits until it has published up to the log's head, then reads `topics` from the
 * beginning until `count` messages arrived (the relay creates its topics as it starts: they are
 * subscribed to once it has caught up); stops both either way and answers what arrived, in order.
 */
export async function publishedMessages(
  relay: KafkaRelay,
  store: { headPosition(): Promise<bigint> },
  brokers: string,
  topics: string[],
  count: number,
): Promise<Received[]> {
  relay.start();
  let consumer: Awaited<ReturnType<typeof collectTopics>> | undefined;
  try {
    await relayReached(relay, () => store.headPosition(), 'the relay caught up', 30_000);
    consumer = await collectTopics(brokers, topics);
    const { received } = consumer;
    await waitUntil(`${count} messages arrived`, () => received.length >= count, 30_000);
    return received;
  } finally {
    await consumer?.stop();
    await relay.stop();
  }
}

/** Each distinct event id once; fails if a duplicate differs from the first copy (it must be the same event). */
export function distinctEvents(received: readonly Received[]): Map<string, Received> {
  const byId = new Map<string, Received>();
  for (const item of received) {
    const first = byId.get(item.message.eventId);
    if (first === undefined) byId.set(item.message.eventId, item);
    else expect(item.message).toEqual(first.message);
  }
  return byId;
}

/**
 * Keys whose messages were not in stream order: each new version must be the next one (streams start at
 * version 0, so a gap means an event arrived early or went missing); a version already seen is a
 * re-delivery, accepted only when `allowRedelivery`.
 */
export function outOfOrderKeys(received: readonly Received[], allowRedelivery: boolean): string[] {
  const highest = new Map<string, number>();
  const bad = new Set<string>();
  for (const { key, message } of received) {
    const max = highest.get(key) ?? -1;
    if (message.streamVersion === max + 1) highest.set(key, message.streamVersion);
    else if (message.streamVersion > max + 1 || !allowRedelivery) bad.add(key);
  }
  return [...bad];
}

/**
 * Reads `topic` whole as a read_committed consumer (franz-go: `readCommitted`), then expects every one
 * of `events` exactly once and each stream in order: the relay publishes each batch in a transaction,
 * so whatever failed on the way (a relay killed, a broker restarted, a database away) a consumer that
 * reads committed messages sees no event twice (docs/integration-events.md).
 */
export function expectTopicHoldsEvery(
  brokers: string,
  topic: string,
  events: readonly RecordedEvent[],
): void {
  const received: Received[] = readCommitted(brokers, [topic]).records.map((record) => ({
    topic: record.topic,
    partition: record.partition,
    key: record.key ?? '',
    headers: Object.fromEntries(record.headers.map((h) => [h.key, h.value])),
    message: parseIntegrationMessage(record.value)!,
  }));
  const delivered = received.map((r) => r.message.eventId);
  expect(delivered.filter((id, i) => delivered.indexOf(id) !== i)).toEqual([]);
  expect(events.filter((e) => !delivered.includes(e.eventId))).toEqual([]);
  expect(delivered).toHaveLength(events.length);
  expect(outOfOrderKeys(received, false)).toEqual([]);
}

/** A relay's value of one of its gauges in prom-client's default registry (what `/metrics` serves). */
export async function relayGauge(name: string, relay: string): Promise<number | undefined> {
  const metric = await register.getSingleMetric(name)?.get();
  return metric?.values.find((v) => v.labels.relay === relay)?.value;
}

/** One record as franz-go decoded it (test/kafka-check). */
export type OutsideRecord = Readonly<{
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  headers: { key: string; value: string }[];
  value: string;
  /** The key's partition by Kafka's own partitioner (murmur2), as any other producer would place it. */
  keyPartition: number;
  /** Written in a transaction (the relay's every batch is one). */
  transactional: boolean;
}>;

/**
 * Reads `topics` whole with franz-go, a client nobody on this project wrote, read_committed, as a Go
 * service would (test/kafka-check): every record a consumer gets, in each partition's order, and the
 * reader's output as printed. Offsets count transaction markers too, so a topic's high watermark is no
 * count of its messages; this is. Blocks the process while it reads: stop the relays first.
 */
export function readCommitted(
  brokers: string,
  topics: readonly string[],
): { records: OutsideRecord[]; stdout: string } {
  const reader = buildGoProgram('test/kafka-check', 'reads the relay topics as a Go service would');
  try {
    const run = reader.run('', [brokers, topics.join(',')]);
    if (!run.ok) throw new Error(`test/kafka-check failed: ${run.stderr}`);
    const lines = run.stdout.trim();
    const records =
      lines === '' ? [] : lines.split('\n').map((l) => JSON.parse(l) as OutsideRecord);
    return { records, stdout: run.stdout };
  } finally {
    reader.remove();
  }
}
