import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaRelay } from '#messaging';
import {
  expectTopicHoldsEvery,
  newEvent,
  openStoreFixture,
  uniquePrefix,
  type StoreFixture,
  relayReached,
  publishedMessages,
} from './relay-test-kit.js';

// An operator may create the relay's topics beforehand, or run a cluster whose limits are tighter than
// Kafka's defaults; the relay leaves existing topics as they are and must publish within their limits.
/** A topic made beforehand, as an operator would, with its own `max.message.bytes`. */
async function createTopic(brokers: string, topic: string, maxMessageBytes: number): Promise<void> {
  const admin = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: [
        {
          topic,
          numPartitions: 2,
          configEntries: [{ name: 'max.message.bytes', value: String(maxMessageBytes) }],
        },
      ],
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
}

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
    await createTopic(brokers, `${prefix}club`, 20_000);
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
      await relayReached(
        relay,
        () => store.headPosition(),
        'the relay published the whole run',
        30_000,
      );
    } finally {
      await relay.stop();
    }

    // then the topic holds every event, in stream order
    expectTopicHoldsEvery(brokers, `${prefix}club`, await store.readAll({ fromPosition: 'start' }));
  }, 120_000);

  it('publishes an event too large for its topic without its data, says so, and goes on', async () => {
    // given the post topic made beforehand with max.message.bytes = 20,000
    const { store, pool } = fixture;
    const brokers = process.env.KAFKA_BROKERS!;
    const prefix = uniquePrefix('too-large');
    await createTopic(brokers, `${prefix}post`, 20_000);
    // and a stream whose first event is 50 kB (written outside the API), then an ordinary one
    const large = newEvent('PostPublished', { postId: 'p1', title: 'x'.repeat(50_000) });
    const next = newEvent('PostPublished', { postId: 'p1', title: 'ok' });
    await store.append('post-p1', [large, next], { expectedVersion: 'no_stream' });
    const warnings: string[] = [];
    const relay = new KafkaRelay({
      eventStore: store,
      pool,
      brokers,
      name: 'too-large',
      topicPrefix: prefix,
      partitions: 2,
      logger: { log: () => undefined, warn: (line) => warnings.push(line) },
    });

    // when the relay runs
    const received = await publishedMessages(relay, store, brokers, [`${prefix}post`], 2);

    // then the large event is there, in its place, without its data and saying why; the next is whole
    const [first, second] = received.map((r) => r.message);
    expect(first).toMatchObject({
      eventId: large.eventId,
      streamVersion: 0,
      data: {},
      withheld: 'too_large',
    });
    expect(second).toMatchObject({ eventId: next.eventId, data: { postId: 'p1', title: 'ok' } });
    // and it said so once (a new topic's first produce may also fail and be retried, which is not
    // this test's business)
    expect(warnings.filter((line) => line.includes('without its data'))).toEqual([
      expect.stringContaining(`${large.eventId} (PostPublished`),
    ]);
  }, 120_000);
});
