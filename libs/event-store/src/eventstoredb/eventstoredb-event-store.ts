import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type ResolvedEvent,
} from '@eventstore/db-client';
import {
  DuplicateEventId,
  WrongExpectedVersion,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamVerification,
  type SubscribeOptions,
  type Subscription,
} from '../event-store.port.js';
import { chainBatch, StreamVerifier } from '../hash-chain.js';
import { alreadyAppended, versionMatches } from './eventstoredb-idempotency.js';
import {
  matchesFilter,
  positionOf,
  readPositionAfter,
  toEventData,
  toRecordedEvent,
} from './eventstoredb-mapping.js';
import { EventStoreDbSubscription } from './eventstoredb-subscription.js';

/** How far back an append looks for its event ids already in the stream (see `append`). */
const DEFAULT_IDEMPOTENCY_WINDOW = 1_000;
const MAX_ATTEMPTS = 100;

/**
 * The EventStore port on EventStoreDB / KurrentDB through `@eventstore/db-client`.
 *
 * The hash chain needs the hash of the event an append follows, so every append is written with the
 * exact revision it built on; `any` and `stream_exists` retry on a newer head. EventStoreDB deduplicates
 * event ids only when a write repeats the original expected revision, and never refuses an id seen with
 * other content, so the adapter checks ids itself against the stream's newest events (the idempotency
 * window, 1,000 events by default: a retried command re-appends soon after the first attempt).
 *
 * EventStoreDB has no stream lock (see THE STREAM LOCK in ../postgres/sql.ts): an append here waits for
 * nobody. The command side takes the same locks in its own PostgreSQL database instead (every process
 * shares it), so its commands that decide on another stream's state (a member erased, a campaign
 * closed) still never see that stream change between their read and their append. Events appended
 * here by anything else (a raw append, a seed writing an erasure) take no lock and are not covered.
 */
export class EventStoreDbEventStore implements EventStore {
  constructor(
    readonly client: EventStoreDBClient,
    private readonly idempotencyWindow = DEFAULT_IDEMPOTENCY_WINDOW,
  ) {}

  /** Checks the server answers (EventStoreDB needs no schema). */
  async init(): Promise<void> {
    for await (const _ of this.client.readAll({
      maxCount: 1,
      direction: BACKWARDS,
      fromPosition: END,
    }))
      break;
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    const expected = options.expectedVersion;
    if (new Set(events.map((e) => e.eventId)).size !== events.length)
      throw new DuplicateEventId(events[0]!.eventId, streamId);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const recent = await this.readRecent(streamId);
      const repeated = alreadyAppended(streamId, events, recent);
      if (repeated) return repeated;
      const head = recent[0];
      if (!versionMatches(expected, head))
        throw new WrongExpectedVersion(streamId, expected, head ? head.streamVersion : 'no_stream');
      if (events.length === 0)
        return {
          nextExpectedVersion: head?.streamVersion ?? -1n,
          position: head?.globalPosition ?? 0n,
        };

      const links = chainBatch(streamId, head?.streamVersion ?? -1n, head?.hash ?? null, events);
      try {
        const result = await this.client.appendToStream(
          streamId,
          events.map((event, i) => toEventData(event, links[i]!)),
          { expectedRevision: head ? head.streamVersion : NO_STREAM },
        );
        return {
          nextExpectedVersion: result.nextExpectedRevision,
          position: result.position?.prepare ?? -1n,
        };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        // Someone appended since our read. With `any` / `stream_exists` build on the new head; otherwise the
        // next read either finds our ids (a concurrent identical append: idempotent) or refuses the version.
      }
    }
    throw new Error(`append to ${streamId}: still conflicting after ${MAX_ATTEMPTS} attempts`);
  }

  /** The stream's newest events, newest first (empty when the stream does not exist). */
  private async readRecent(streamId: string): Promise<RecordedEvent[]> {
    return this.collect(streamId, {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: this.idempotencyWindow,
    });
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const direction = options.direction === 'backwards' ? BACKWARDS : FORWARDS;
    if (options.maxCount !== undefined && options.maxCount <= 0) return [];
    return this.collect(streamId, {
      direction,
      fromRevision: options.from ?? (direction === FORWARDS ? START : END),
      ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
    });
  }

  private async collect(
    streamId: string,
    options: {
      direction: typeof FORWARDS | typeof BACKWARDS;
      fromRevision: bigint | typeof START | typeof END;
      maxCount?: number;
    },
  ): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, options)) {
        const event = toRecordedEvent(resolved as ResolvedEvent);
        if (event) events.push(event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  /** EventStoreDB counts nothing for us: the events are read, and counted. */
  async countAll(options: ReadAllOptions = {}): Promise<number> {
    return (await this.readAll(options)).length;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after =
      options.fromPosition === undefined || options.fromPosition === 'start'
        ? -1n
        : options.fromPosition;
    const limit = options.maxCount ?? Number.POSITIVE_INFINITY;
    const events: RecordedEvent[] = [];
    if (limit <= 0) return events;
    const read = this.client.readAll({
      direction: FORWARDS,
      fromPosition: after < 0n ? START : readPositionAfter(after),
    });
    for await (const resolved of read) {
      // EventStoreDB reads from a position inclusively; the port resumes strictly after it.
      if (positionOf(resolved) <= after) continue;
      const event = toRecordedEvent(resolved);
      if (!event || !matchesFilter(event, options.filter)) continue;
      events.push(event);
      if (events.length >= limit) break;
    }
    return events;
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    return new EventStoreDbSubscription(this.client, options);
  }

  async verifyStream(streamId: string): Promise<StreamVerification> {
    const verifier = new StreamVerifier(streamId);
    for (const event of await this.readStream(streamId)) verifier.add(event);
    return verifier.result();
  }

  async headPosition(): Promise<bigint> {
    for await (const resolved of this.client.readAll({
      direction: BACKWARDS,
      fromPosition: END,
      maxCount: 4_096,
    })) {
      if (toRecordedEvent(resolved)) return positionOf(resolved);
    }
    return 0n;
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}

export function createEventStoreDbStore(
  connectionString: string,
  idempotencyWindow?: number,
): EventStoreDbEventStore {
  return new EventStoreDbEventStore(
    EventStoreDBClient.connectionString(connectionString),
    idempotencyWindow,
  );
}
