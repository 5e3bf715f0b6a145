import pg from 'pg';
import type { PostgresEventStore } from '#event-store';
import { KafkaRelay } from '#messaging';
import { startDedicatedBroker, type LocalBroker } from './dedicated-broker.js';
import {
  expectTopicHoldsEvery,
  newEvent,
  uniquePrefix,
  waitUntil,
  openStoreFixture,
  type StoreFixture,
  relayReached,
} from './relay-test-kit.js';

/**
 * Appends `count` events in appends of 5 to 20 shift streams, pausing `pauseMs` between appends; returns
 * the position of the last one (the feed's visible head may lag behind it while another transaction of
 * the shared server is open).
 */
async function appendShiftEvents(
  store: PostgresEventStore,
  tag: string,
  count: number,
  pauseMs: number,
): Promise<bigint> {
  let last = 0n;
  for (let i = 0; i < count; i += 5) {
    const streamId = `shift-${tag}-${(i / 5) % 20}`;
    const events = Array.from({ length: 5 }, (_, j) =>
      newEvent('ShiftEnded', { shiftId: streamId, n: i + j }),
    );
    const { position } = await store.append(streamId, events, { expectedVersion: 'any' });
    if (position > last) last = position;
    if (pauseMs > 0) await new Promise((done) => setTimeout(done, pauseMs));
  }
  return last;
}

describe('the Kafka relay across a broker outage', () => {
  let fixture: StoreFixture;
  let store: PostgresEventStore;
  let pool: pg.Pool;
  let broker: LocalBroker;

  beforeAll(async () => {
    // A broker of its own: killing it must not disturb the suites that share the harness's broker.
    [fixture, broker] = await Promise.all([
      openStoreFixture('relay_outage'),
      startDedicatedBroker('relay-outage'),
    ]);
    ({ store, pool } = fixture);
  }, 120_000);

  afterAll(async () => {
    await broker?.stop();
    await fixture?.close();
  });

  it('delivers every event after the broker is SIGKILLed mid-run and restarted (duplicates only as the same event)', async () => {
    // given a relay publishing to the broker while a writer keeps appending
    const warnings: string[] = [];
    const lines: string[] = [];
    const prefix = uniquePrefix('outage');
    const relay = new KafkaRelay({
      eventStore: store,
      pool,
      brokers: broker.brokers,
      name: 'outage',
      topicPrefix: prefix,
      partitions: 3,
      batchSize: 100,
      initialBackoffMs: 100,
      maxBackoffMs: 1_000,
      logger: { log: (message) => lines.push(message), warn: (message) => warnings.push(message) },
    });
    try {
      await appendShiftEvents(store, 'before', 500, 0);
      relay.start();
      const writing = appendShiftEvents(store, 'during', 1_000, 15);
      await waitUntil(
        'the relay published part of the feed',
        async () => (await relay.status()).published >= 300,
        30_000,
      );

      // when the broker is killed mid-run, more events are appended while it is down, and it comes back
      await broker.kill();
      await waitUntil(
        'the relay noticed the outage',
        async () => !(await relay.status()).connected,
        30_000,
      );
      const lastDuringOutage = await appendShiftEvents(store, 'outage', 500, 0);
      const downStatus = await relay.status();
      expect(downStatus).toMatchObject({ healthy: false, connected: false, state: 'degraded' });
      expect(downStatus.lastError).not.toBeNull();
      expect(downStatus.lag).toBeGreaterThan(0);
      expect(downStatus.backlog).toBe(downStatus.lag);
      await broker.restart();
      const lastWritten = await writing;

      // then the relay catches up with the last event by itself
      const last = lastWritten > lastDuringOutage ? lastWritten : lastDuringOutage;
      await relayReached(relay, last, 'the checkpoint reached the last event', 90_000);
      expect(warnings.length).toBeGreaterThan(0);
      // and it says it recovered, and no longer reports the error it recovered from
      expect(
        lines.filter((line) => /^recovered after \d+ failure/.test(line)).length,
      ).toBeGreaterThan(0);
      expect(await relay.status()).toMatchObject({
        healthy: true,
        state: 'publishing',
        lastError: null,
        lastErrorAt: null,
      });
      // and a failure it retries is not labelled non-retriable (kafkajs's wrapper is looked through)
      expect(warnings.filter((w) => w.includes('NonRetriable'))).toEqual([]);

      // and the topic holds every event of the store, each stream in order, re-deliveries identical
      const all = await store.readAll({ maxCount: 100_000 });
      expect(all.length).toBe(2_000);
      expectTopicHoldsEvery(broker.brokers, `${prefix}shift`, all);
    } finally {
      await relay.stop();
    }
  }, 240_000);
});
