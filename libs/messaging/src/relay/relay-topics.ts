import kafkajs, { type Admin, type Kafka } from 'kafkajs';
import { allTopics } from './integration-message.js';
import { ProduceRequestPlanner } from './produce-requests.js';
import type { ResolvedRelayOptions } from './relay-options.js';

// kafkajs is CommonJS, and Node's ESM loader does not find this enum among its named exports.
const { ConfigResourceTypes } = kafkajs;

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
    const maxBytes = await topicMaxMessageBytes(admin, topics);
    return new ProduceRequestPlanner(
      (topic) => partitions.get(topic) ?? options.partitions,
      options.maxPartitionBytes,
      (topic) => maxBytes.get(topic),
    );
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Each topic's effective `max.message.bytes` (its own setting, else the broker's): a topic made by an
 * operator beforehand, or a cluster configured tighter than Kafka's 1 MB default, refuses every request
 * that puts more than that on one partition, and the relay would retry that batch for ever. A broker
 * that does not let the relay read configurations leaves the relay's own limit alone.
 */
async function topicMaxMessageBytes(admin: Admin, topics: string[]): Promise<Map<string, number>> {
  const limits = new Map<string, number>();
  const described = await admin
    .describeConfigs({
      resources: topics.map((name) => ({
        type: ConfigResourceTypes.TOPIC,
        name,
        configNames: ['max.message.bytes'],
      })),
      includeSynonyms: false,
    })
    .catch(() => null);
  for (const resource of described?.resources ?? []) {
    const entry = resource.configEntries.find((e) => e.configName === 'max.message.bytes');
    const bytes = Number(entry?.configValue);
    if (resource.errorCode === 0 && Number.isSafeInteger(bytes) && bytes > 0)
      limits.set(resource.resourceName, bytes);
  }
  return limits;
}
