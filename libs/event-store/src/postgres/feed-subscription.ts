import type pg from 'pg';
import type {
  EventFilter,
  FeedPosition,
  RecordedEvent,
  Subscription,
} from '../event-store.port.js';
import { isConnectionFailure } from './connection-failure.js';
import type { FeedWakeup } from './feed-wakeup.js';
import { toRecordedEvent } from './row-mapping.js';
import { feedFilter, selectFeedWithHorizon, type EventRow } from './sql.js';

export type FeedSubscriptionOptions = Readonly<{
  fromPosition?: FeedPosition;
  filter?: EventFilter;
  batchSize?: number;
  /** Fallback poll when no notification arrives. */
  pollIntervalMs?: number;
}>;

/**
 * Poll this soon when committed events already wait above the horizon (some transaction holds it),
 * doubling while it stays held so that a long transaction elsewhere does not make every subscriber
 * poll at full rate; back to this on progress.
 */
const HELD_BACK_POLL_MS = 20;

type FeedRow = EventRow & { horizon: string; waiting: boolean };

/**
 * Catch-up then live subscription to the global feed: reads pages below the horizon (see sql.ts), and
 * between pages sleeps until woken by an append notification or the poll interval.
 */
export class PostgresFeedSubscription implements Subscription {
  private cursor: bigint;
  private closed = false;
  private woken = false;
  private wakeSleeper: (() => void) | undefined;
  private iterating = false;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly sql: string;
  private readonly filterParams: unknown[];

  constructor(
    private readonly pool: pg.Pool,
    private readonly wakeup: FeedWakeup,
    options: FeedSubscriptionOptions,
    private readonly onClosed: (subscription: PostgresFeedSubscription) => void,
  ) {
    this.cursor =
      options.fromPosition === undefined || options.fromPosition === 'start'
        ? 0n
        : options.fromPosition;
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    const filter = feedFilter(options.filter, 3);
    this.sql = selectFeedWithHorizon(filter.clause);
    this.filterParams = filter.params;
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    if (this.iterating) throw new Error('a subscription can be iterated only once');
    this.iterating = true;
    return this.run();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake();
    this.onClosed(this);
  }

  private wake(): void {
    this.woken = true;
    this.wakeSleeper?.();
  }

  private async *run(): AsyncGenerator<RecordedEvent> {
    const unregister = this.wakeup.register(() => this.wake());
    let failures = 0;
    let heldBackMs = HELD_BACK_POLL_MS;
    try {
      while (!this.closed) {
        this.woken = false;
        let page: { events: RecordedEvent[]; horizon: bigint; waiting: boolean };
        try {
          page = await this.readPage();
          failures = 0;
        } catch (error) {
          if (this.closed) return;
          if (!isConnectionFailure(error)) throw error;
          failures += 1;
          await this.sleep(Math.min(2_000, 50 * 2 ** failures));
          continue;
        }
        for (const event of page.events) {
          if (this.closed) return;
          this.cursor = event.globalPosition;
          yield event;
        }
        if (page.events.length === this.batchSize) continue;
        // Everything below the horizon is final: a filtered reader may skip past what did not match.
        if (page.horizon - 1n > this.cursor) this.cursor = page.horizon - 1n;
        const wait = page.waiting ? heldBackMs : this.pollIntervalMs;
        const stillHeld = page.waiting && page.events.length === 0;
        heldBackMs = stillHeld ? Math.min(this.pollIntervalMs, heldBackMs * 2) : HELD_BACK_POLL_MS;
        await this.sleep(wait);
      }
    } finally {
      unregister();
      this.closed = true;
      this.onClosed(this);
    }
  }

  private async readPage(): Promise<{
    events: RecordedEvent[];
    horizon: bigint;
    waiting: boolean;
  }> {
    const result = await this.pool.query<FeedRow>(this.sql, [
      this.cursor.toString(),
      this.batchSize,
      ...this.filterParams,
    ]);
    const first = result.rows[0]!;
    const events: RecordedEvent[] = [];
    for (const row of result.rows)
      if (row.global_position !== null) events.push(toRecordedEvent(row));
    return { events, horizon: BigInt(first.horizon), waiting: first.waiting };
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeSleeper = () => {
        this.wakeSleeper = undefined;
        done();
      };
    });
  }
}
