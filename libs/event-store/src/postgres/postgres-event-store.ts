import pg from 'pg';
import {
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
import { StreamVerifier } from '../hash-chain.js';
import { appendEvents, type AlongsideRow, type Queryable } from './append.js';
import { FeedWakeup } from './feed-wakeup.js';
import { PostgresFeedSubscription, type FeedSubscriptionOptions } from './feed-subscription.js';
import { HeadCache } from './head-cache.js';
import { migrate } from './migrations.js';
import { toRecordedEvent } from './row-mapping.js';
import {
  countFeed,
  feedFilter,
  selectFeed,
  selectHeadPosition,
  selectStream,
  type EventRow,
} from './sql.js';

export type PostgresEventStoreOptions = Readonly<
  (
    { connectionString: string; pool?: undefined } | { pool: pg.Pool; connectionString?: undefined }
  ) & {
    /** Pool size when the store creates its pool. */
    maxConnections?: number;
    /** Fallback poll of subscriptions when no notification arrives. */
    pollIntervalMs?: number;
  }
>;

/** The default adapter: one `events` table, the global feed read below the snapshot horizon (sql.ts). */
export class PostgresEventStore implements EventStore {
  readonly pool: pg.Pool;
  private readonly ownsPool: boolean;
  private readonly wakeup: FeedWakeup;
  private readonly heads = new HeadCache();
  private readonly subscriptions = new Set<PostgresFeedSubscription>();

  constructor(private readonly options: PostgresEventStoreOptions) {
    this.ownsPool = !options.pool;
    this.pool =
      options.pool ??
      new pg.Pool({
        connectionString: options.connectionString,
        max: options.maxConnections ?? 20,
      });
    if (this.ownsPool) {
      // pg-pool listens for errors of idle clients only; a borrowed client that loses its server
      // would emit an 'error' nobody hears, which ends the process. The query in flight fails anyway.
      this.pool.on('error', () => undefined);
      this.pool.on('connect', (client) => client.on('error', () => undefined));
    }
    this.wakeup = new FeedWakeup(this.pool);
  }

  /** Applies pending migrations (idempotent, safe from several processes at once). */
  async init(): Promise<void> {
    await migrate(this.pool);
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    return this.appendOwn(streamId, events, options);
  }

  /**
   * Appends through a client the caller holds, inside the caller's transaction (an outbox, or the test
   * that holds a transaction open on purpose). Conflicts are detected under a savepoint so the caller's
   * transaction survives them. Call `notifyAppended()` after the caller's COMMIT.
   */
  async appendWithin(
    client: pg.ClientBase,
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    const result = await appendEvents(
      client as Queryable,
      streamId,
      events,
      options.expectedVersion,
      undefined,
    );
    return result.result;
  }

  /**
   * Appends inside the caller's transaction, as cheaply as `append` (the cached head, one INSERT, no
   * savepoint), for a writer that commits other rows with the events (a command's idempotency record)
   * and rolls the whole transaction back on a conflict: an AppendConflict is thrown as detected (after
   * the expected version was checked against the head, as `append` does), never resolved. Call `notifyAppended()` after the COMMIT.
   */
  async appendInTransaction(
    client: pg.ClientBase,
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
    alongside?: AlongsideRow,
  ): Promise<AppendResult> {
    const result = await appendEvents(
      client as Queryable,
      streamId,
      events,
      options.expectedVersion,
      this.heads,
      'abort',
      alongside,
    );
    return result.result;
  }

  /**
   * `append`, with a row of another table written by the same statement (see AlongsideRow): still one
   * round trip and its own transaction. A conflict of that row throws AppendConflict ('alongside') and
   * writes nothing; a conflict of the events is resolved as `append` resolves it (a re-append of the
   * same events answers the first result and writes nothing, the row included).
   */
  async appendWith(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
    alongside: AlongsideRow,
  ): Promise<AppendResult> {
    return this.appendOwn(streamId, events, options, alongside);
  }

  /** An append in its own transaction on the pool, and the news of it when it wrote. */
  private async appendOwn(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
    alongside?: AlongsideRow,
  ): Promise<AppendResult> {
    const result = await appendEvents(
      this.pool,
      streamId,
      events,
      options.expectedVersion,
      this.heads,
      'own',
      alongside,
    );
    if (result.written) this.wakeup.appended();
    return result.result;
  }

  notifyAppended(): void {
    this.wakeup.appended();
  }

  /** Appends of this process at once, other processes' through the LISTEN the subscriptions share. */
  onAppended(listener: () => void): () => void {
    return this.wakeup.register(listener);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const direction = options.direction ?? 'forwards';
    if (options.maxCount !== undefined && options.maxCount <= 0) return [];
    const params: unknown[] = [streamId];
    if (options.from !== undefined) params.push(options.from.toString());
    const result = await this.pool.query<EventRow>(
      selectStream(direction, options.from, options.maxCount),
      params,
    );
    return result.rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const feed = feedQuery(options);
    if (!feed) return [];
    const result = await this.pool.query<EventRow>({
      name: `es_feed_${feed.kind}`,
      text: selectFeed(feed.clause, feed.limited),
      values: feed.values,
    });
    const rows = result.rows;
    const events = new Array<RecordedEvent>(rows.length);
    for (let i = 0; i < rows.length; i++) events[i] = toRecordedEvent(rows[i]!);
    return events;
  }

  async countAll(options: ReadAllOptions = {}): Promise<number> {
    const feed = feedQuery(options);
    if (!feed) return 0;
    const result = await this.pool.query<{ events: number }>({
      name: `es_count_${feed.kind}`,
      text: countFeed(feed.clause, feed.limited),
      values: feed.values,
    });
    return result.rows[0]!.events;
  }

  subscribeToAll(
    options: SubscribeOptions & Pick<FeedSubscriptionOptions, 'pollIntervalMs'> = {},
  ): Subscription {
    const subscription = new PostgresFeedSubscription(
      this.pool,
      this.wakeup,
      { pollIntervalMs: this.options.pollIntervalMs, ...options },
      (closed) => this.subscriptions.delete(closed),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async verifyStream(streamId: string): Promise<StreamVerification> {
    const verifier = new StreamVerifier(streamId);
    const page = 1_000;
    let from = 0n;
    for (;;) {
      const events = await this.readStream(streamId, { from, maxCount: page });
      for (const event of events) verifier.add(event);
      if (events.length < page) break;
      from = events[events.length - 1]!.streamVersion + 1n;
    }
    return verifier.result();
  }

  async headPosition(): Promise<bigint> {
    const result = await this.pool.query<{ position: string }>(selectHeadPosition);
    return BigInt(result.rows[0]!.position);
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.wakeup.close();
    if (this.ownsPool) await this.pool.end();
  }
}

/** A read of the feed as SQL parts (null: nothing to read), named by its shape for a prepared statement. */
function feedQuery(options: ReadAllOptions) {
  const from =
    options.fromPosition === undefined || options.fromPosition === 'start'
      ? 0n
      : options.fromPosition;
  const limited = options.maxCount !== undefined;
  if (limited && options.maxCount! <= 0) return null;
  const filter = feedFilter(options.filter, limited ? 3 : 2);
  const params: unknown[] = limited ? [from.toString(), options.maxCount] : [from.toString()];
  return {
    kind: `${limited ? 'l' : 'u'}${options.filter?.eventTypes ? 't' : ''}${options.filter?.streamPrefixes ? 'p' : ''}`,
    clause: filter.clause,
    limited,
    values: [...params, ...filter.params],
  };
}
