import { KafkaRelay, type KafkaRelayOptions } from '#messaging';
import { startDedicatedBroker, type LocalBroker } from './dedicated-broker.js';
import {
  expectTopicHoldsEvery,
  newEvent,
  openStoreFixture,
  relayGauge,
  uniquePrefix,
  waitUntil,
  type StoreFixture,
  relayReached,
} from './relay-test-kit.js';

// A broker that keeps its connections but answers nothing (frozen, or cut off by the network) holds a
// batch in flight for as long as kafkajs waits, minutes; stopping the relay then held the whole
// process's shutdown past its 30 s deadline ("shutdown took longer than 30 s", exit 1).
describe('the Kafka relay while its broker answers nothing', () => {
  let fixture: StoreFixture;
  let broker: LocalBroker;
  beforeAll(async () => {
    [fixture, broker] = await Promise.all([
      openStoreFixture('relay_frozen'),
      startDedicatedBroker('relay-frozen'),
    ]);
  }, 120_000);
  afterAll(async () => {
    await broker?.stop();
    await fixture?.close();
  });

  it('stops without the batch in flight, keeps its checkpoint, and the next run publishes that batch', async () => {
    // given a relay that has published one event
    const { store, pool } = fixture;
    const warnings: string[] = [];
    let sending = 0n;
    const options: KafkaRelayOptions = {
      eventStore: store,
      pool,
      brokers: broker.brokers,
      name: 'frozen',
      topicPrefix: uniquePrefix('frozen'),
      partitions: 1,
      stopGraceMs: 1_000,
      logger: { log: () => undefined, warn: (line) => warnings.push(line) },
      onBatchSending: (_, last) => (sending = last),
    };
    const first = await store.append('shift-z1', [newEvent('ShiftStarted', { shiftId: 'z1' })], {
      expectedVersion: 'no_stream',
    });
    const relay = new KafkaRelay(options);
    relay.start();
    await relayReached(relay, first.position, 'the first event was acknowledged', 60_000);

    // when the broker freezes, an event is sent to it, and the relay is stopped
    process.kill(broker.pid, 'SIGSTOP');
    let stopped = false;
    try {
      const second = await store.append('shift-z1', [newEvent('ShiftEnded', { shiftId: 'z1' })], {
        expectedVersion: 0n,
      });
      await waitUntil('the second event is in flight', () => sending >= second.position, 30_000);
      void relay.stop().then(() => (stopped = true));

      // then it stops while the broker still answers nothing, saying what it left behind
      await waitUntil('the relay stopped', () => stopped, 15_000);
      expect(warnings).toEqual(
        expect.arrayContaining([expect.stringContaining('batch in flight')]),
      );
      // and its checkpoint stayed at the last acknowledged event
      expect(await relay.checkpoint()).toBe(first.position);
    } finally {
      process.kill(broker.pid, 'SIGCONT');
      if (!stopped) await relay.stop();
    }

    // and the next run, with the broker back, publishes the batch left behind
    const next = new KafkaRelay({ ...options, onBatchSending: undefined });
    next.start();
    try {
      await relayReached(next, () => store.headPosition(), 'the next run caught up', 60_000);
    } finally {
      await next.stop();
    }
    expectTopicHoldsEvery(
      broker.brokers,
      `${options.topicPrefix}shift`,
      await store.readAll({ fromPosition: 'start' }),
    );
  }, 240_000);

  it('reports a batch the broker leaves unacknowledged, in /health and /metrics, until it is acknowledged', async () => {
    // given a relay that has published one event (a stream and relay of their own)
    const { store, pool } = fixture;
    let sending = 0n;
    const name = 'unacknowledged';
    const relay = new KafkaRelay({
      eventStore: store,
      pool,
      brokers: broker.brokers,
      name,
      topicPrefix: uniquePrefix('unacked'),
      partitions: 1,
      stallAfterMs: 1_000,
      logger: { log: () => undefined, warn: () => undefined },
      onBatchSending: (_, last) => (sending = last),
    });
    relay.start();
    try {
      await relayReached(relay, () => store.headPosition(), 'the relay caught up', 60_000);

      // when the broker freezes and an event is sent to it
      process.kill(broker.pid, 'SIGSTOP');
      try {
        const { position } = await store.append(
          'shift-z2',
          [newEvent('ShiftStarted', { shiftId: 'z2' })],
          { expectedVersion: 'no_stream' },
        );
        await waitUntil('the event is in flight', () => sending >= position, 30_000);

        // then /metrics counts it as waiting without anyone reading the status (no request failed)
        await waitUntil(
          'relay_lag_events counts the event in flight',
          async () => (await relayGauge('relay_lag_events', name)) === 1,
          15_000,
        );
        // and the status says degraded, since when nothing was acknowledged
        await waitUntil(
          'the status says degraded',
          async () => (await relay.status()).state === 'degraded',
          15_000,
        );
        const status = await relay.status();
        expect(status).toMatchObject({ healthy: false, lag: 1, lastError: null });
        expect(status.unacknowledgedSince).not.toBeNull();
      } finally {
        process.kill(broker.pid, 'SIGCONT');
      }

      // and once the broker answers again, it is publishing with nothing left behind
      await waitUntil(
        'the relay caught up again',
        async () => (await relay.status()).state === 'publishing',
        60_000,
      );
      expect(await relay.status()).toMatchObject({ lag: 0, unacknowledgedSince: null });
    } finally {
      await relay.stop();
    }
  }, 240_000);
});
