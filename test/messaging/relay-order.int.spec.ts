import pg from 'pg';
import { register } from 'prom-client';
import type { PostgresEventStore } from '#event-store';
import { KafkaRelay } from '#messaging';
import {
  collectTopics,
  distinctEvents,
  newEvent,
  outOfOrderKeys,
  uniquePrefix,
  waitUntil,
  openStoreFixture,
  type StoreFixture,
  relayReached,
} from './relay-test-kit.js';

const brokers = () => process.env.KAFKA_BROKERS!;

describe('the Kafka relay publishes every event, in order per stream', () => {
  let fixture: StoreFixture;
  let store: PostgresEventStore;
  let pool: pg.Pool;

  beforeAll(async () => {
    fixture = await openStoreFixture('relay_order');
    ({ store, pool } = fixture);
  });
  afterAll(() => fixture?.close());

  it('keeps each stream in version order under concurrent appends to many streams', async () => {
    // given a running relay and a consumer of its topics
    const prefix = uniquePrefix('order');
    const relay = new KafkaRelay({
      eventStore: store,
      pool,
      brokers: brokers(),
      name: 'order',
      topicPrefix: prefix,
      partitions: 3,
      batchSize: 150,
    });
    relay.start();
    await waitUntil(
      'the relay created its topics',
      async () => (await relay.status()).connected,
      30_000,
    );
    const consumer = await collectTopics(brokers(), [`${prefix}shift`, `${prefix}member`]).catch(
      async (error) => {
        await relay.stop();
        throw error;
      },
    );
    try {
      // when 8 writers append 792 events in appends of 1 to 3 to 40 shift streams and one member stream
      const streams = Array.from({ length: 40 }, (_, i) => `shift-order-${i}`);
      let appended = 1;
      const writer = async (w: number) => {
        for (let round = 0; round < 50; round++) {
          const streamId = streams[(w * 7 + round * 3) % streams.length];
          const events = Array.from({ length: 1 + (round % 3) }, (_, i) =>
            newEvent('ShiftEnded', { shiftId: streamId, w, round, i }),
          );
          await store.append(streamId, events, { expectedVersion: 'any' });
          appended += events.length;
        }
      };
      await store.append(
        'member-m1',
        [newEvent('MemberEnrolled', { memberId: 'm1', unitId: 'u1', displayName: 'Nguyễn Văn A' })],
        {
          expectedVersion: 'no_stream',
        },
      );
      await Promise.all(Array.from({ length: 8 }, (_, w) => writer(w)));
      // (the feed shows an append once every older transaction of the cluster has ended)
      await waitUntil(
        'the feed shows every append',
        async () => (await store.readAll({ maxCount: 100_000 })).length === appended,
        30_000,
      );
      const expected = await store.readAll({ maxCount: 100_000 });
      expect(expected.length).toBe(793);

      // then every event arrives exactly once, each stream's events in version order
      await waitUntil(
        'every event was consumed',
        () => distinctEvents(consumer.received).size === expected.length,
        60_000,
      );
      expect(consumer.received.length).toBe(expected.length);
      expect(outOfOrderKeys(consumer.received, false)).toEqual([]);
      // and the message carries the documented envelope, key and headers, and no personal data
      const byId = distinctEvents(consumer.received);
      for (const event of expected) {
        const got = byId.get(event.eventId)!;
        expect(got.key).toBe(event.streamId);
        expect(got.topic).toBe(`${prefix}${event.streamId.split('-')[0]}`);
        expect(got.message).toMatchObject({
          schema: 'volunteer-campaigns.event/v1',
          type: event.type,
          streamVersion: Number(event.streamVersion),
          globalPosition: event.globalPosition.toString(),
        });
        expect(got.headers).toMatchObject({
          'event-id': event.eventId,
          'event-type': event.type,
          'schema-version': '1',
          'global-position': event.globalPosition.toString(),
          'correlation-id': event.metadata.correlationId,
        });
      }
      const enrolled = consumer.received.find((r) => r.message.type === 'MemberEnrolled')!;
      expect(enrolled.message.data).toEqual({ memberId: 'm1', unitId: 'u1' });
      expect(enrolled.message.redacted).toEqual(['displayName']);

      // and the checkpoint reaches the head; metrics and health say so
      const head = await store.headPosition();
      await relayReached(relay, head, 'the checkpoint reached the head', 10_000);
      const status = await relay.status();
      expect(status).toMatchObject({
        healthy: true,
        connected: true,
        lag: 0,
        published: expected.length,
        lastError: null,
      });
      const metrics = await register.getMetricsAsJSON();
      const published = metrics.find((m) => m.name === 'relay_published_total')!;
      const ours = (published.values as { value: number; labels: Record<string, string> }[]).filter(
        (v) => v.labels.relay === 'order',
      );
      expect(ours.reduce((sum, v) => sum + v.value, 0)).toBe(expected.length);
      const lag = metrics.find((m) => m.name === 'relay_lag_events')!;
      expect(
        (lag.values as { value: number; labels: Record<string, string> }[]).find(
          (v) => v.labels.relay === 'order',
        )?.value,
      ).toBe(0);
    } finally {
      await consumer.stop();
      await relay.stop();
    }
  }, 120_000);

  it('resumes from its checkpoint after a clean stop, publishing only what came after', async () => {
    // given a relay that published the first events and was stopped
    const prefix = uniquePrefix('resume');
    const options = {
      eventStore: store,
      pool,
      brokers: brokers(),
      name: 'resume',
      topicPrefix: prefix,
      partitions: 2,
    };
    const first = new KafkaRelay(options);
    await store.append('club-c1', [newEvent('ClubFormed', { clubId: 'c1' })], {
      expectedVersion: 'no_stream',
    });
    first.start();
    await relayReached(first, () => store.headPosition(), 'the first relay caught up', 30_000);
    await first.stop();

    // when another event is appended and a new relay starts with the same name
    await store.append('club-c1', [newEvent('ClubFormed', { clubId: 'c1', again: true })], {
      expectedVersion: 0n,
    });
    const second = new KafkaRelay(options);
    second.start();
    const consumer = await collectTopics(brokers(), [
      `${prefix}club`,
      `${prefix}shift`,
      `${prefix}member`,
    ]).catch(async (error) => {
      await second.stop();
      throw error;
    });
    try {
      // then the topics hold every event of the store exactly once: the second relay did not start over
      const expected = (await store.readAll({ maxCount: 100_000 })).length;
      await waitUntil('both relays published', () => consumer.received.length >= expected, 30_000);
      await relayReached(second, () => store.headPosition(), 'the second relay caught up', 10_000);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(consumer.received.length).toBe(expected);
      expect(distinctEvents(consumer.received).size).toBe(expected);
      expect(
        consumer.received.filter((r) => r.key === 'club-c1').map((r) => r.message.streamVersion),
      ).toEqual([0, 1]);
    } finally {
      await consumer.stop();
      await second.stop();
    }
  }, 90_000);
});
