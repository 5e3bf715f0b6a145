/**
 * The event store contract of ../shared/DESIGN.md ("The event store"). Two adapters implement it
 * (PostgreSQL, EventStoreDB) and one contract suite checks both.
 */

/** `bigint`: the version of the stream's last event (the first event of a stream has version 0). */
export type ExpectedVersion = 'any' | 'no_stream' | 'stream_exists' | bigint;

export type EventMetadata = Readonly<{
  /** When the fact happened in the world (what projections attribute it by). */
  occurredAt: string;
  /** When the system recorded it. */
  recordedAt: string;
  /** The token subject that recorded it. */
  recordedBy: string;
  commandId: string;
  correlationId: string;
  causationId: string | null;
}>;

/** What a writer hands to `append`. */
export type NewEvent = Readonly<{
  eventId: string;
  type: string;
  schemaVersion: number;
  data: Readonly<Record<string, unknown>>;
  metadata: EventMetadata;
}>;

/** An event as stored, with its envelope. */
export type RecordedEvent = NewEvent &
  Readonly<{
    streamId: string;
    streamVersion: bigint;
    /** Position in the global feed: strictly increasing in feed order. */
    globalPosition: bigint;
    /** SHA-256 (hex) over the canonical encoding of this event and `previousHash`. */
    hash: string;
    previousHash: string | null;
  }>;

export type AppendOptions = Readonly<{ expectedVersion: ExpectedVersion }>;

export type AppendResult = Readonly<{
  /** Version of the stream's last event after the append: pass it as the next expected version. */
  nextExpectedVersion: bigint;
  /** Global position of the last event appended. */
  position: bigint;
}>;

export type ReadStreamOptions = Readonly<{
  /** Inclusive; from the start (forwards) or the end (backwards) when absent. */
  from?: bigint;
  direction?: 'forwards' | 'backwards';
  maxCount?: number;
}>;

export type EventFilter = Readonly<{
  eventTypes?: readonly string[];
  streamPrefixes?: readonly string[];
}>;

/** `'start'`, or the position of the last event already seen: reading resumes strictly after it. */
export type FeedPosition = 'start' | bigint;

export type ReadAllOptions = Readonly<{
  fromPosition?: FeedPosition;
  filter?: EventFilter;
  maxCount?: number;
}>;

export type SubscribeOptions = Readonly<{
  fromPosition?: FeedPosition;
  filter?: EventFilter;
  /** Events per internal read while catching up. */
  batchSize?: number;
}>;

/** Catches up from `fromPosition`, then goes live; ends when `close()` is called. */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

export type StreamVerification = Readonly<{
  streamId: string;
  valid: boolean;
  events: number;
  headHash: string | null;
  firstInvalidVersion?: bigint;
}>;

export interface EventStore {
  append(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * How many events `readAll(options)` would return, without reading them: a lag (`maxCount` its cap),
   * which `/health`, `/metrics` and the relay ask for often. Reading the events to count them cost a
   * query of up to 10,000 whole events and their parsing per unauthenticated `/health` probe.
   */
  countAll(options?: ReadAllOptions): Promise<number>;
  subscribeToAll(options?: SubscribeOptions): Subscription;
  /** Recomputes the stream's hash chain from the stored events. */
  verifyStream(streamId: string): Promise<StreamVerification>;
  /** Position of the newest event visible to readers of the feed (0n when empty). */
  headPosition(): Promise<bigint>;
  /**
   * Calls `listener` soon after events were appended, by this process or (where the adapter can tell)
   * another; returns the function that stops the calls. A hint to read, never a promise: a reader that
   * relies on it still polls now and then. Optional: an adapter without it leaves its readers polling.
   */
  onAppended?(listener: () => void): () => void;
  close(): Promise<void>;
}

/** Raised when the stream is not at the expected version. */
export class WrongExpectedVersion extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: bigint | 'no_stream',
  ) {
    super(`stream ${streamId}: expected version ${String(expected)}, found ${String(actual)}`);
    this.name = 'WrongExpectedVersion';
  }
}

/** Raised when an event id already in the store is appended again with other content. */
export class DuplicateEventId extends Error {
  constructor(
    readonly eventId: string,
    readonly streamId: string,
  ) {
    super(`event ${eventId} already exists in stream ${streamId} with different content`);
    this.name = 'DuplicateEventId';
  }
}

/**
 * A conflict met by an append inside the caller's transaction (PostgreSQL's `appendInTransaction`),
 * which the failed INSERT has aborted, or by an append with a row alongside (`appendWith`), so it is
 * not resolved further: `version`, the stream is no
 * longer at the expected version; `eventId`, an event id is already stored (a resend, or a reused id).
 * The caller rolls back and finds out on a fresh read.
 */
export class AppendConflict extends Error {
  constructor(
    readonly streamId: string,
    readonly on: 'version' | 'eventId' | 'alongside',
  ) {
    super(
      `stream ${streamId}: append refused (${on === 'version' ? 'version taken' : 'event id stored'})`,
    );
    this.name = 'AppendConflict';
  }
}
