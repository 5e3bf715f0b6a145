/**
 * Issue 5 point 4: relay throughput. Pre-loads N events in a fresh store, then times the relay publishing
 * all of them to a local broker (until its checkpoint equals the store's head). Target ≥ 20,000 events/s.
 * BENCH_RELAY_EVENTS (default 200,000) and BENCH_RELAY_BATCH (comma-separated, default 1,000, 2,000 and 4,000) tune it.
 */
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { createPostgresEventStore, type NewEvent, type PostgresEventStore } from '#event-store';
import { KafkaRelay } from '#messaging';
import { createScratchDatabase } from '../test/harness/database.js';
import type { BenchContext } from './bench-kit.js';

const EVENTS = Number(process.env.BENCH_RELAY_EVENTS ?? 200_000);
const BATCHES = (process.env.BENCH_RELAY_BATCH ?? '1000,2000,4000').split(',').map(Number);
const STREAMS = 2_000;
const APPEND_SIZE = 100;
const PARTITIONS = 6;
const serviceTypes = [
  'eid_activation',
  'public_service_account',
  'digital_signature',
  'app_install',
  'party_card_replacement',
];

type Broker = { brokers: string; stop: () => Promise<void> };

async function startBroker(kafkaBrokers: string | undefined): Promise<Broker & { own: boolean }> {
  if (kafkaBrokers) return { brokers: kafkaBrokers, stop: async () => undefined, own: false };
  const root = process.cwd();
  const tool = pathToFileURL(join(root, 'tools', 'kafka-broker.mjs')).href;
  const { startKafkaBroker } = (await import(tool)) as {
    startKafkaBroker(o: { dir: string }): Promise<Broker>;
  };
  console.log('starting a local Kafka broker (tools/kafka-broker.mjs)');
  return {
    ...(await startKafkaBroker({ dir: resolve(root, '.cache', `bench-kafka-${process.pid}`) })),
    own: true,
  };
}

/** A realistic event: citizens helped during a shift, about the size of the real ones. */
function assistance(shift: number, n: number): NewEvent {
  const occurredAt = `2025-08-${String(9 + (n % 7)).padStart(2, '0')}T${String(7 + (n % 14)).padStart(2, '0')}:15:00+07:00`;
  return {
    eventId: randomUUID(),
    type: 'CitizenAssisted',
    schemaVersion: 1,
    data: {
      assistanceId: randomUUID(),
      shiftId: `s${shift}`,
      memberId: `m${shift % 700}`,
      campaignId: 'party-card-2025',
      serviceType: serviceTypes[n % serviceTypes.length],
      citizens: 1 + (n % 4),
      occurredAt,
      citizenRef: null,
    },
    metadata: {
      occurredAt,
      recordedAt: new Date().toISOString(),
      recordedBy: `m${shift % 700}`,
      commandId: randomUUID(),
      correlationId: randomUUID(),
      causationId: null,
    },
  };
}

/** Returns the position of the last event appended. */
async function preload(store: PostgresEventStore): Promise<bigint> {
  const appends = Math.ceil(EVENTS / APPEND_SIZE);
  let next = 0;
  let last = 0n;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let a = next++; a < appends; a = next++) {
        const shift = a % STREAMS;
        const events = Array.from(
          { length: Math.min(APPEND_SIZE, EVENTS - a * APPEND_SIZE) },
          (_, i) => assistance(shift, a * APPEND_SIZE + i),
        );
        const { position } = await store.append(`shift-${shift}`, events, {
          expectedVersion: 'any',
        });
        if (position > last) last = position;
      }
    }),
  );
  return last;
}

async function timeRelay(
  store: PostgresEventStore,
  pool: pg.Pool,
  brokers: string,
  batchSize: number,
  last: bigint,
  name = `bench-${batchSize}`,
): Promise<{ seconds: number; published: number }> {
  const relay = new KafkaRelay({
    eventStore: store,
    pool,
    brokers,
    name,
    topicPrefix: `bench-${randomUUID().slice(0, 8)}.`,
    partitions: PARTITIONS,
    batchSize,
    logger: { log: () => undefined, warn: (m) => console.warn(m) },
  });
  const started = performance.now();
  relay.start();
  try {
    // The visible head can lag behind `last` while another transaction of the server is open: wait for `last`.
    while (((await relay.checkpoint()) ?? -1n) < last) {
      if (performance.now() - started > 300_000) {
        const status = await relay.status();
        throw new Error(
          `the relay did not reach the last event within 300 s (${JSON.stringify(status)}); a long transaction elsewhere on the server holds the feed back`,
        );
      }
      await new Promise((done) => setTimeout(done, 20));
    }
    const seconds = (performance.now() - started) / 1000;
    return { seconds, published: (await relay.status()).published };
  } finally {
    await relay.stop();
  }
}

export async function run(ctx: BenchContext): Promise<void> {
  const db = await createScratchDatabase(ctx.databaseUrl, 'bench_relay');
  const broker = await startBroker(ctx.kafkaBrokers);
  const store = createPostgresEventStore({ connectionString: db.url });
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  try {
    await store.init();
    const loadStarted = performance.now();
    const last = await preload(store);
    console.log(
      `pre-loaded ${EVENTS} events in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`,
    );
    const rows: string[] = [];
    // A first pass warms the broker (JIT, segment files, producer ids) and is not reported: without it
    // the first row measured start-up, not the relay (7,651 against 22,272 events/s in one run).
    const warmUp = await timeRelay(store, pool, broker.brokers, BATCHES[0], last, 'bench-warm-up');
    console.log(
      `warm-up: ${warmUp.published} events in ${warmUp.seconds.toFixed(2)} s (not reported)`,
    );
    for (const batchSize of BATCHES) {
      const { seconds, published } = await timeRelay(store, pool, broker.brokers, batchSize, last);
      const rate = published / seconds;
      console.log(
        `batch ${batchSize}: ${published} events in ${seconds.toFixed(2)} s = ${Math.round(rate)} events/s`,
      );
      rows.push(
        `| ${batchSize.toLocaleString('en-US')} | ${published.toLocaleString('en-US')} | ${seconds.toFixed(1)} | ${Math.round(rate).toLocaleString('en-US')} | ${rate >= 20_000 ? '≥ 20,000 met' : '≥ 20,000 MISSED'} |`,
      );
    }
    ctx.report('Kafka relay throughput', [
      `${EVENTS.toLocaleString('en-US')} \`CitizenAssisted\` events (about 700 bytes as messages) on ${STREAMS.toLocaleString('en-US')} shift streams, pre-loaded, then published from checkpoint "start" until the checkpoint reaches the last event:`,
      `kafkajs transactional producer (one transaction per batch), acks = all, one request in flight, no compression, ${PARTITIONS} partitions per topic, ${broker.own ? 'a local broker started for the bench' : 'the broker of KAFKA_BROKERS'} (single node, same machine).`,
      '',
      '| batch size | events | seconds | events/s | target |',
      '| ---: | ---: | ---: | ---: | --- |',
      ...rows,
      '',
      'Where the time goes (`node --cpu-prof`, relay phase of a 4,000-batch run, 2026-11-26): about half in kafkajs encoding the produce requests',
      '(each record and each of its five headers gets an Encoder and a zero-filled Buffer of its own; CRC32C in JavaScript), 9 % garbage collection,',
      "7 % building the messages (JSON of the integration message), 5 % pg parsing the pages of events, 16 % idle waiting for the broker's acknowledgement.",
      "The relay process, the broker JVM and PostgreSQL share the machine's 2 cores, so the rate follows the load from elsewhere on it; between",
      "batch sizes the differences are within that noise. With one request in flight (kafkajs's idempotent producer allows no more), the next page",
      'is read while the broker acknowledges the current one.',
      "The broker flushes to disk on Kafka's own schedule (durability comes from acks = all and, in production, replication).",
      '',
    ]);
  } finally {
    await pool.end();
    await store.close();
    await broker.stop();
    await db.drop();
  }
}
