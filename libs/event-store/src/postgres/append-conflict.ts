import {
  DuplicateEventId,
  WrongExpectedVersion,
  type AppendResult,
  type ExpectedVersion,
  type NewEvent,
} from '../event-store.port.js';
import { canonicalJson } from '../hash-chain.js';
import type { HeadCache, StreamHead } from './head-cache.js';
import { selectConflict, selectHead, type EventRow } from './sql.js';

export type Queryable = {
  query<R extends object = Record<string, unknown>>(config: {
    name?: string;
    text: string;
    values?: unknown[];
  }): Promise<{ rows: R[] }>;
};

export async function readHead(db: Queryable, streamId: string): Promise<StreamHead | undefined> {
  const result = await db.query<{ version: string; hash: string }>({
    ...selectHead,
    values: [streamId],
  });
  const row = result.rows[0];
  return row ? { version: BigInt(row.version), hash: row.hash } : undefined;
}

export function matches(expected: ExpectedVersion, head: StreamHead | undefined): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return head === undefined;
  if (expected === 'stream_exists') return head !== undefined;
  return head !== undefined && head.version === expected;
}

/**
 * Why an append could not be written. If its event ids are already stored in this stream with the same
 * content, it is a re-append: return what the first append returned. An id stored with other content
 * (or in another stream, or only part of the batch stored) is a DuplicateEventId. Otherwise the stream
 * was not at the expected version.
 */
export async function resolveConflict(
  db: Queryable,
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedVersion,
  heads: HeadCache | undefined,
): Promise<AppendResult> {
  const found = await db.query<EventRow & { kind: 'event' | 'head' }>({
    ...selectConflict,
    values: [events.map((event) => event.eventId), streamId],
  });
  const stored = found.rows.filter((row) => row.kind === 'event');
  const headRow = found.rows.find((row) => row.kind === 'head');
  // The writer will most likely retry on this head: remember it so the retry needs only its INSERT.
  if (headRow) heads?.set(streamId, { version: BigInt(headRow.version), hash: headRow.hash });
  if (stored.length > 0) {
    const byId = new Map(stored.map((row) => [row.event_id, row]));
    let last: EventRow | undefined;
    for (const event of events) {
      const row = byId.get(event.eventId);
      if (!row || row.stream_id !== streamId || !sameContent(event, row)) {
        throw new DuplicateEventId((row ?? stored[0]!).event_id, streamId);
      }
      if (!last || BigInt(row.version) > BigInt(last.version)) last = row;
    }
    return { nextExpectedVersion: BigInt(last!.version), position: BigInt(last!.global_position) };
  }
  throw new WrongExpectedVersion(
    streamId,
    expected,
    headRow ? BigInt(headRow.version) : 'no_stream',
  );
}

function sameContent(event: NewEvent, row: EventRow): boolean {
  return (
    event.type === row.type &&
    canonicalJson(event.data) === canonicalJson(row.data) &&
    canonicalJson(event.metadata) === canonicalJson(row.metadata)
  );
}

export async function emptyAppend(
  db: Queryable,
  streamId: string,
  expected: ExpectedVersion,
): Promise<AppendResult> {
  const head = await readHead(db, streamId);
  if (!matches(expected, head))
    throw new WrongExpectedVersion(streamId, expected, head ? head.version : 'no_stream');
  const position = await db.query<{ position: string }>({
    text: 'SELECT global_position::text AS position FROM events WHERE stream_id = $1 ORDER BY version DESC LIMIT 1',
    values: [streamId],
  });
  return {
    nextExpectedVersion: head?.version ?? -1n,
    position: BigInt(position.rows[0]?.position ?? '0'),
  };
}
