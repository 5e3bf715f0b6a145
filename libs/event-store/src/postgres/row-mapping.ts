import type { EventMetadata, RecordedEvent } from '../event-store.port.js';
import type { EventRow } from './sql.js';

/** Kept minimal: it runs once per event read, and reading the feed fast is a target of the bench. */
export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata as unknown as EventMetadata,
    streamId: row.stream_id,
    streamVersion: BigInt(row.version),
    globalPosition: BigInt(row.global_position),
    hash: row.hash,
    previousHash: row.previous_hash,
  };
}
