import pg from 'pg';
import { createPostgresEventStore, type PostgresEventStore } from '#event-store';
import { KafkaRelay } from '#messaging';
import { openPool } from '#platform';
import { createTestDatabase } from '../harness/database.js';
import {
  expectTopicHoldsEvery,
  newEvent,
  relayReached,
  uniquePrefix,
  waitUntil,
} from './relay-test-kit.js';

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * The relay across a database outage (issue 9, point 6): every session of its database is terminated
 * every 100 ms for 2 s while events keep being appended. The relay must survive it, resume from its
 * checkpoint by itself, say so, and leave the topic holding every event in order.
 */
describe('the Kafka relay while its database goes away', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: PostgresEventStore;
  let pool: pg.Pool;

  beforeAll(async () => {
    database = await createTestDatabase('relay_db_outage');
    store = createPostgresEventStore({ connectionString: database.url });
    await store.init();
    pool = openPool({ connectionString: database.url, max: 4 });
  });
  afterAll(async () => {
    await pool?.end();
    await store?.close();
    await database?.drop();
  });

  /** Appends, retrying an append the outage interrupted: event ids make a retry write nothing twice. */
  const append = async (streamId: string, n: number) => {
    const events = [newEvent('ShiftEnded', { shiftId: streamId, n })];
    for (;;) {
      try {
        return (await store.append(streamId, events, { expectedVersion: 'any' })).position;
      } catch {
        await pause(50);
      }
    }
  };

  it('resumes from its checkpoint, logs its recovery, clears its error and loses nothing', async () => {
    // given a relay publishing while events are appended
    const prefix = uniquePrefix('dbout');
    const lines: string[] = [];
    const relay = new KafkaRelay({
      eventStore: store,
      pool,
      brokers: process.env.KAFKA_BROKERS!,
      name: 'db-outage',
      topicPrefix: prefix,
      partitions: 2,
      batchSize: 50,
      initialBackoffMs: 100,
      maxBackoffMs: 500,
      logger: { log: (m) => lines.push(m), warn: (m) => lines.push(`warn ${m}`) },
    });
    relay.start();
    let writing = true;
    let last = 0n;
    const writer = (async () => {
      for (let n = 0; writing; n++) {
        const position = await append(`shift-dbout-${n % 10}`, n);
        if (position > last) last = position;
        await pause(5);
      }
    })();
    try {
      await waitUntil(
        'the relay published',
        async () => (await relay.status()).published > 50,
        30_000,
      );

      // when every session of the database is terminated every 100 ms for 2 s, and on until the
      // relay has met one of them: a statement of its own must be under way when its session goes,
      // and in 2 s alone none was in about one run of five (the recovery this test is about never
      // happened)
      const admin = new pg.Client({
        connectionString: new URL('/postgres', database.url).toString(),
      });
      await admin.connect();
      const name = new URL(database.url).pathname.slice(1);
      const started = Date.now();
      const relayFailed = () => lines.some((l) => l.startsWith('warn failure #'));
      while (Date.now() < started + 2_000 || !relayFailed()) {
        if (Date.now() > started + 30_000) throw new Error('the relay met no terminated session');
        await admin.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1',
          [name],
        );
        await pause(100);
      }
      await admin.end();
      await pause(300);
      writing = false;
      await writer;

      // then the relay catches up with the last event by itself, and says it recovered
      await relayReached(relay, last, 'the checkpoint reached the last event', 30_000);
      expect(lines.filter((l) => l.startsWith('recovered after')).length).toBeGreaterThan(0);
      expect(await relay.status()).toMatchObject({
        healthy: true,
        state: 'publishing',
        lastError: null,
      });

      // and the topic holds every event of the store, each stream in order
      const all = await store.readAll({ maxCount: 100_000 });
      expectTopicHoldsEvery(process.env.KAFKA_BROKERS!, `${prefix}shift`, all);
    } finally {
      writing = false;
      await writer;
      await relay.stop();
    }
  }, 120_000);
});
