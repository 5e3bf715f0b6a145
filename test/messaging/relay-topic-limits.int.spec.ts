import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaRelay } from '#messaging';
import {
  expectTopicHoldsEvery,
  newEvent,
  openStoreFixture,
  uniquePrefix,
  waitUntil,
  type StoreFixture,
} from './relay-test-kit.js';

// An operator may create the relay's topics beforehand, or run a cluster whose limits are tighter than
// Kafka's defaults; the relay leaves existing topics as they are and must publish within their limits.
describe('the Kafka relay within a topic of its operator', () => {
  let fixture: StoreFixture;
  beforeAll(async () => {
    fixture = await openStoreFixture('relay_topic_limits');
  });
  afterAll(() => fixture?.close());

  it('publishes a long run of one stream into a topic whose max.message.bytes is below its own request limit', async () => {
    // given the club topic made beforehand with max.message.bytes = 20,000
    const { store, pool } = fixture;
    const brokers = process.env.KAFKA_BROKERS!;
    const prefix = uniquePrefix('limits');
    const admin = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        {
          topic: `${prefix}club`,
          numPartitions: 2,
          configEntries: [{ name: 'max.message.bytes', value: '20000' }],
        },
      ],
      waitForLeaders: true,
    });
    await admin.disconnect();
    // and 200 events of ~500 bytes on one stream (one partition): ~100 kB in one batch
    const events = Array.from({ length: 200 }, (_, i) =>
      newEvent('ClubFormed', { clubId: 'c1', i, focus: randomBytes(150).toString('hex') }),
    );
    await store.append('club-c1', events, { expectedVersion: 'no_stream' });
    const relay = new KafkaRelay({
      eventStore: store,
      pool,
      brokers,
      name: 'limits',
      topicPrefix: prefix,
      partitions: 2,
      logger: { log: () => undefined, warn: () => undefined },
    });

    // when the relay runs
    relay.start();
    try {
      await waitUntil(
        'the relay published the whole run',
        async () => ((await relay.checkpoint()) ?? -1n) >= (await store.headPosition()),
        30_000,
      );
    } finally {
      await relay.stop();
    }

    // then the topic holds every event, in stream order
    await expectTopicHoldsEvery(
      brokers,
      `${prefix}club`,
      await store.readAll({ fromPosition: 'start' }),
    );
  }, 120_000);
});
