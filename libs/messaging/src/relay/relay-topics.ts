import type { Kafka } from 'kafkajs';
import { allTopics } from './integration-message.js';
import { ProduceRequestPlanner } from './produce-requests.js';
import type { ResolvedRelayOptions } from './relay-options.js';

/**
 * Creates the relay's topics with the admin client (idempotent: existing topics are left as they are)
 * and learns their partition counts, which may predate this relay, for planning produce requests.
 */
export async function prepareTopics(
  kafka: Kafka,
  options: ResolvedRelayOptions,
): Promise<ProduceRequestPlanner> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = allTopics(options.topicPrefix);
    await admin.createTopics({
      topics: topics.map((topic) => ({
        topic,
        numPartitions: options.partitions,
        replicationFactor: options.replicationFactor,
      })),
      waitForLeaders: true,
    });
    const metadata = await admin.fetchTopicMetadata({ topics });
    const partitions = new Map(metadata.topics.map((t) => [t.name, t.partitions.length]));
    return new ProduceRequestPlanner(
      (topic) => partitions.get(topic) ?? options.partitions,
      options.maxPartitionBytes,
    );
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
