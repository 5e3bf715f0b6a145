import { Partitioners, type PartitionMetadata, type TopicMessages } from 'kafkajs';
import type { OutgoingMessage } from './integration-message.js';

/**
 * Splits a batch of messages into produce requests, sent one after the other, so that no partition
 * receives more than `maxPartitionBytes` in one request: the broker refuses a record batch above its
 * `message.max.bytes` (1 MB by default), and events of one stream, which all go to one partition, often
 * come in long runs. The partition is computed here with kafkajs's Java-compatible partitioner (murmur2
 * of the key), as the producer would, and set on each message; the order of the messages is kept.
 */
export class ProduceRequestPlanner {
  private readonly partitioner = Partitioners.DefaultPartitioner();
  private readonly metadata = new Map<number, PartitionMetadata[]>();

  /**
   * `topicMaxBytesOf` is a topic's own `max.message.bytes` when known: an operator may set it below the
   * broker's default, and a request above it is refused however often it is retried.
   */
  constructor(
    private readonly partitionsOf: (topic: string) => number,
    private readonly maxPartitionBytes: number,
    private readonly topicMaxBytesOf: (topic: string) => number | undefined = () => undefined,
  ) {}

  plan(messages: readonly OutgoingMessage[]): TopicMessages[][] {
    const requests: TopicMessages[][] = [];
    let current = new Map<string, TopicMessages['messages']>();
    let bytes = new Map<string, number>();
    for (const { topic, key, value, headers } of messages) {
      const partition = this.partitionFor(topic, key);
      const slot = `${topic}/${partition}`;
      const size = messageSize(key, value, headers);
      const used = bytes.get(slot) ?? 0;
      if (used > 0 && used + size > this.limitOf(topic)) {
        requests.push(toRequest(current));
        current = new Map();
        bytes = new Map();
      }
      bytes.set(slot, (bytes.get(slot) ?? 0) + size);
      const list = current.get(topic) ?? [];
      if (list.length === 0) current.set(topic, list);
      list.push({ key, value, headers, partition });
    }
    if (current.size > 0) requests.push(toRequest(current));
    return requests;
  }

  /** Whether the message alone fits in a request to its topic (one that does not is refused for ever). */
  fits({ topic, key, value, headers }: OutgoingMessage): boolean {
    return messageSize(key, value, headers) <= this.limitOf(topic);
  }

  /** What one request may carry for one partition of `topic`: one record batch, header included. */
  private limitOf(topic: string): number {
    const topicMax = this.topicMaxBytesOf(topic);
    return topicMax === undefined
      ? this.maxPartitionBytes
      : Math.min(this.maxPartitionBytes, topicMax - recordBatchHeader);
  }

  private partitionFor(topic: string, key: string): number {
    const count = this.partitionsOf(topic);
    let partitionMetadata = this.metadata.get(count);
    if (!partitionMetadata) {
      partitionMetadata = Array.from({ length: count }, (_, partitionId) => ({
        partitionId,
        leader: 0,
        partitionErrorCode: 0,
        replicas: [0],
        isr: [0],
      }));
      this.metadata.set(count, partitionMetadata);
    }
    return this.partitioner({ topic, partitionMetadata, message: { key, value: null } });
  }
}

/** The fixed header of a v2 record batch, which the broker counts against `max.message.bytes`. */
const recordBatchHeader = 61;

function toRequest(byTopic: Map<string, TopicMessages['messages']>): TopicMessages[] {
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

/** An upper bound of the record's size in a v2 record batch (varint overheads rounded up). */
function messageSize(key: string, value: string, headers: Record<string, string>): number {
  let size = 32 + Buffer.byteLength(key) + Buffer.byteLength(value);
  for (const [name, header] of Object.entries(headers))
    size += 10 + name.length + Buffer.byteLength(header);
  return size;
}
