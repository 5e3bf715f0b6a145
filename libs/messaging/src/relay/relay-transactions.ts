import type { Kafka } from 'kafkajs';
import type { ResolvedRelayOptions } from './relay-options.js';

/**
 * Each batch is one Kafka transaction, so a consumer reading `read_committed` sees each event once:
 *
 * - A batch goes out as several produce requests (`produce-requests.ts`). A relay that dies, or a
 *   broker that restarts, between them left the first ones in the topics, and the next session
 *   published them again: a read_committed consumer saw them twice. In a transaction they are
 *   aborted instead (the next producer with the same transactional id fences the dead one and aborts
 *   its open transaction), and read_committed consumers never see them.
 * - The checkpoint in PostgreSQL is written after the commit, and a relay stopped (or a database that
 *   refused the write) between the two published the whole batch again. So the transaction also
 *   commits the batch's last position to Kafka, as the offset of a consumer group of the relay's own
 *   (`markerGroup`), atomically with its messages: the next session takes that position when it lies
 *   within the batch that follows the stored checkpoint, which is exactly that case.
 *
 * Consumers reading `read_uncommitted` (the Java client's default) still see the aborted attempts:
 * docs/integration-events.md tells them to read committed, or to deduplicate by event id.
 */
export type RelayTransactions = Readonly<{
  /** Stable across restarts and shared by the relays of one name and prefix: the newest one fences the others. */
  transactionalId: string;
  /** The group whose committed offset on `markerTopic` partition 0 is the last published position. */
  markerGroup: string;
  markerTopic: string;
}>;

export function relayTransactions(options: ResolvedRelayOptions): RelayTransactions {
  const id = `volunteer-campaigns.relay.${options.name}.${options.topicPrefix}`;
  return { transactionalId: id, markerGroup: id, markerTopic: `${options.topicPrefix}other` };
}

/** The last position a committed transaction published, as Kafka keeps it; null when none is kept. */
export async function committedPosition(
  kafka: Kafka,
  marker: RelayTransactions,
): Promise<bigint | null> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = await admin.fetchOffsets({
      groupId: marker.markerGroup,
      topics: [marker.markerTopic],
    });
    const offset = topics[0]?.partitions.find((p) => p.partition === 0)?.offset;
    // -1: nothing committed by this group (or its offsets expired, after 7 days without a batch).
    return offset === undefined || !/^\d+$/.test(offset) ? null : BigInt(offset);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
