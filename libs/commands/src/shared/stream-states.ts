import { Inject, Injectable } from '@nestjs/common';
import type { EventStore } from '#event-store';
import { EVENT_STORE } from '#platform';
import { currentEvent } from './current-events.js';

type PlainEvent = Readonly<{ type: string; data: object }>;

/** How a stream folds into the state its decider needs. */
export type Fold<State, Event extends PlainEvent> = Readonly<{
  evolve: (state: State, event: Event) => State;
  initialState: State;
}>;

/** A folded stream: its state after the event of `version` (-1: the stream is empty). */
export type Folded<State> = Readonly<{
  state: State;
  version: bigint;
  /** Read from the store just now; false when it comes from this process's cache unchecked. */
  fresh: boolean;
}>;

/**
 * Head versions of streams (-1: empty), read while the command holds their locks (WriteTransaction):
 * one command's view, passed along with it, never kept for the process (two commands may be at once
 * on either side of another process's append).
 */
export type StreamHeads = ReadonlyMap<string, bigint>;

/** Streams kept; the least recently used goes first. */
const capacity = 100_000;

type Entry = Readonly<{ state: unknown; version: bigint }>;

/**
 * Folded states of the streams this process wrote or read, keyed by stream and version, so that a
 * command on a long stream (a shared shift gathers thousands of assistance records) neither reads
 * nor folds its history again. A stored event never changes, so an entry is true for its version;
 * what it may miss is a later event written by another process. `load` trusts the entry (the append's
 * expected version then refuses a stale decision, and the handler reads the tail and decides again);
 * `current` reads the tail first, for a stream a decision looks at but does not write (a campaign),
 * unless the stream's head, read under its lock, says the entry is already there.
 */
@Injectable()
export class StreamStates {
  private readonly entries = new Map<string, Entry>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** The cached state if there is one, else the stream read and folded. */
  async load<State, Event extends PlainEvent>(
    streamId: string,
    fold: Fold<State, Event>,
  ): Promise<Folded<State>> {
    const cached = this.entries.get(streamId);
    if (cached) return { state: cached.state as State, version: cached.version, fresh: false };
    return this.current(streamId, fold);
  }

  /**
   * The state with every event stored so far: the cached state and the events after it. When `heads`
   * knows the stream's head and the cached state is at that version (or the stream is empty and
   * none is cached), nothing was stored since: the cached state is current without a read.
   */
  async current<State, Event extends PlainEvent>(
    streamId: string,
    fold: Fold<State, Event>,
    heads?: StreamHeads,
  ): Promise<Folded<State>> {
    const cached = this.entries.get(streamId);
    const head = heads?.get(streamId);
    if (head !== undefined && head === (cached?.version ?? -1n))
      return {
        state: (cached?.state as State | undefined) ?? fold.initialState,
        version: head,
        fresh: true,
      };
    let state = (cached?.state as State | undefined) ?? fold.initialState;
    let version = cached?.version ?? -1n;
    const tail = await this.store.readStream(streamId, cached ? { from: version + 1n } : {});
    for (const stored of tail) {
      // an event no fold can use is passed over, its version still counted: the next append expects it
      const e = currentEvent(stored);
      if (e) state = fold.evolve(state, { type: e.type, data: e.data } as unknown as Event);
      version = stored.streamVersion;
    }
    if (version >= 0n) this.remember(streamId, state, version);
    return { state, version, fresh: true };
  }

  /** After a commit: the state the appended events lead to. */
  remember(streamId: string, state: unknown, version: bigint): void {
    const cached = this.entries.get(streamId);
    if (cached && cached.version > version) return; // a newer state is already known
    this.entries.delete(streamId); // re-inserted last: the map's order is the eviction order
    this.entries.set(streamId, { state, version });
    if (this.entries.size > capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  forget(streamId: string): void {
    this.entries.delete(streamId);
  }
}
