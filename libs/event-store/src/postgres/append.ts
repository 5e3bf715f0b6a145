import {
  AppendConflict,
  DuplicateEventId,
  type AppendResult,
  type ExpectedVersion,
  type NewEvent,
} from '../event-store.port.js';
import { chainBatch, type ChainLink } from '../hash-chain.js';
import {
  emptyAppend,
  matches,
  readHead,
  resolveConflict,
  type Queryable,
} from './append-conflict.js';
import type { HeadCache, StreamHead } from './head-cache.js';
import {
  insertEventsStatement,
  MAX_EVENTS_PER_APPEND,
  MAX_VALUES_ROWS,
  type AlongsideRow,
} from './sql.js';

export type { AlongsideRow, Queryable };

/** Conflicting appends with `any` / `stream_exists` retry on the new head; past this, give up. */
const MAX_ATTEMPTS = 1_000;

/**
 * Where the INSERT runs:
 * - `own`: a pool; the INSERT is its own transaction.
 * - `savepoint`: the caller's transaction, which must survive a conflict (it is resolved under a
 *   savepoint, as with a pool).
 * - `abort`: the caller's transaction, which the caller rolls back on a conflict: no savepoint, and a
 *   unique violation is thrown unresolved as an AppendConflict, since the aborted transaction can run
 *   no more queries.
 *   A command handler that writes its idempotency row beside the events uses this: one INSERT, as cheap
 *   as the pool path.
 */
export type AppendMode = 'own' | 'savepoint' | 'abort';

/**
 * One append. The expected version is checked against the head read just before (or cached), and the
 * unique (stream_id, version) key makes the check race-free: a concurrent writer that took the same
 * version makes our INSERT fail, and nothing of it is written. The hash chain is computed from the
 * head the INSERT builds on, so the chain can only ever link to the event it follows. A cached head
 * that a rolled-back transaction left behind is not stored: the INSERT then inserts nothing (see
 * `insertEventsStatement`) and the append builds on a fresh read.
 */
export async function appendEvents(
  db: Queryable,
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedVersion,
  heads: HeadCache | undefined,
  mode: AppendMode = heads ? 'own' : 'savepoint',
  alongside?: AlongsideRow,
): Promise<{ result: AppendResult; written: boolean }> {
  if (events.length > MAX_EVENTS_PER_APPEND)
    throw new RangeError(`an append takes at most ${MAX_EVENTS_PER_APPEND} events`);
  const ids = new Set(events.map((event) => event.eventId));
  if (ids.size !== events.length)
    throw new DuplicateEventId(
      events.find((e, i) => events.findIndex((o) => o.eventId === e.eventId) !== i)!.eventId,
      streamId,
    );
  if (events.length === 0)
    return { result: await emptyAppend(db, streamId, expected), written: false };

  let useCache = heads !== undefined;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const head = await headFor(db, streamId, expected, useCache ? heads : undefined);
    if (!matches(expected, head))
      return {
        result: await resolveConflict(db, streamId, events, expected, heads),
        written: false,
      };

    const links = chainBatch(streamId, head?.version ?? -1n, head?.hash ?? null, events);
    const values = insertValues(streamId, head, events, links);
    try {
      const statement = insertEventsStatement(events.length, alongside);
      const position = await insert(db, statement, [...values, ...(alongside?.values ?? [])], mode);
      if (position === undefined) {
        // The head it built on is not stored as believed (a stale cache): build on a fresh read.
        heads?.forget(streamId);
        useCache = false;
        continue;
      }
      const last = links[links.length - 1]!;
      heads?.set(streamId, { version: last.streamVersion, hash: last.hash });
      return { result: { nextExpectedVersion: last.streamVersion, position }, written: true };
    } catch (error) {
      const constraint = uniqueViolation(error);
      if (!constraint) throw error;
      heads?.forget(streamId);
      useCache = false;
      // The alongside row's key is taken: the statement wrote nothing; its owner finds out why.
      if (alongside && !constraint.startsWith('events_'))
        throw new AppendConflict(streamId, 'alongside');
      if (mode === 'abort') {
        throw new AppendConflict(
          streamId,
          constraint === 'events_stream_version_key' ? 'version' : 'eventId',
        );
      }
      const retryable = expected === 'any' || expected === 'stream_exists';
      if (constraint === 'events_stream_version_key' && retryable) continue;
      return {
        result: await resolveConflict(db, streamId, events, expected, heads),
        written: false,
      };
    }
  }
  throw new Error(`append to ${streamId}: still conflicting after ${MAX_ATTEMPTS} attempts`);
}

/** Parameters of `insertEventsStatement(events.length)`. */
function insertValues(
  streamId: string,
  head: StreamHead | undefined,
  events: readonly NewEvent[],
  links: ChainLink[],
): unknown[] {
  const builtOn = [streamId, (head?.version ?? -1n).toString(), head?.hash ?? null];
  if (events.length > MAX_VALUES_ROWS) {
    const rows = events.map((event, i) => ({
      v: links[i]!.streamVersion.toString(),
      id: event.eventId,
      t: event.type,
      s: event.schemaVersion,
      d: event.data,
      m: event.metadata,
      h: links[i]!.hash,
      p: links[i]!.previousHash,
    }));
    return [...builtOn, JSON.stringify(rows)];
  }
  const values: unknown[] = builtOn;
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    const link = links[i]!;
    values.push(
      link.streamVersion.toString(),
      event.eventId,
      event.type,
      event.schemaVersion,
      JSON.stringify(event.data),
      JSON.stringify(event.metadata),
      link.hash,
      link.previousHash,
    );
  }
  return values;
}

/** Runs the INSERT; undefined when it inserted nothing because the head it builds on is not stored. */
async function insert(
  db: Queryable,
  statement: { name?: string; text: string },
  values: unknown[],
  mode: AppendMode,
): Promise<bigint | undefined> {
  const position = (result: { rows: { position: string | null }[] }) => {
    const value = result.rows[0]?.position;
    return value === null || value === undefined ? undefined : BigInt(value);
  };
  if (mode !== 'savepoint')
    return position(await db.query<{ position: string | null }>({ ...statement, values }));
  await db.query({ text: 'SAVEPOINT event_store_append' });
  try {
    const result = await db.query<{ position: string | null }>({ ...statement, values });
    await db.query({ text: 'RELEASE SAVEPOINT event_store_append' });
    return position(result);
  } catch (error) {
    await db.query({ text: 'ROLLBACK TO SAVEPOINT event_store_append' });
    throw error;
  }
}

/**
 * The head the append builds on. `no_stream` needs no read (it builds on nothing; if the stream exists
 * the INSERT of version 0 fails). Otherwise the cached head is used when it can be right, else it is read.
 */
async function headFor(
  db: Queryable,
  streamId: string,
  expected: ExpectedVersion,
  heads: HeadCache | undefined,
): Promise<StreamHead | undefined> {
  if (expected === 'no_stream') return undefined;
  const cached = heads?.get(streamId);
  if (cached && (typeof expected !== 'bigint' || cached.version === expected)) return cached;
  const head = await readHead(db, streamId);
  if (head) heads?.set(streamId, head);
  return head;
}

function uniqueViolation(error: unknown): string | undefined {
  const pgError = error as { code?: string; constraint?: string };
  return pgError.code === '23505' ? (pgError.constraint ?? 'unknown') : undefined;
}
