import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type pg from 'pg';
import { Observable, Subject, finalize, share } from 'rxjs';
import { PG_POOL } from '#platform';
import { CHANGES_CHANNEL } from '#projections';

export type ProjectionChange = Readonly<{
  projection: string;
  version: number;
  state: string;
  position: string;
  events: number;
}>;

/** Pause before listening again after the LISTEN connection was lost or could not be opened. */
const relistenMs = 1_000;

/**
 * The runner NOTIFYs inside each batch transaction, so a message arrives only once the batch committed,
 * from whichever process ran it. One LISTEN connection per process, opened while someone listens. When
 * the database goes away the connection is dropped (its error handled, never left to end the process)
 * and opened again every second until it is back; browsers stay connected meanwhile, and `listens`
 * tells them when LISTEN is back so that they read again what changed while it was not.
 */
@Injectable()
export class ProjectionChangesFeed implements OnModuleDestroy {
  private readonly logger = new Logger('ProjectionChanges');
  private client: { client: pg.PoolClient; discard: () => void } | undefined;
  private wanted = false;
  private connecting: Promise<void> | undefined;
  private retry: NodeJS.Timeout | undefined;
  private readonly listened = new Subject<void>();
  private readonly subject = new Subject<ProjectionChange>();
  readonly changes: Observable<ProjectionChange>;

  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {
    this.changes = new Observable<ProjectionChange>((subscriber) => {
      const inner = this.subject.subscribe(subscriber);
      this.wanted = true;
      this.ensureListening();
      return () => inner.unsubscribe();
    }).pipe(
      finalize(() => void this.unlisten()),
      share(),
    );
  }

  /**
   * Emits now if LISTEN is in place, and each time it is in place again after a lost connection
   * (subscribe after `changes`). A client that reads the read models after it misses nothing: a change
   * it did not see will be notified.
   */
  listens(): Observable<void> {
    return new Observable<void>((subscriber) => {
      if (this.client) subscriber.next();
      return this.listened.subscribe(subscriber);
    });
  }

  private ensureListening(): void {
    if (!this.wanted || this.client || this.connecting) return;
    this.connecting = this.listen()
      .catch(() => this.listenLater()) // the database is away: the pool's outage log says so once
      .finally(() => (this.connecting = undefined));
  }

  private listenLater(): void {
    if (!this.wanted || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.ensureListening();
    }, relistenMs);
    this.retry.unref();
  }

  private async listen(): Promise<void> {
    const client = await this.pool.connect();
    let broken = false;
    const onError = () => {
      broken = true;
      this.lost(client, discard);
    };
    const onNotification = (message: pg.Notification) => {
      if (message.channel !== CHANGES_CHANNEL || !message.payload) return;
      try {
        this.subject.next(JSON.parse(message.payload) as ProjectionChange);
      } catch (error) {
        this.logger.warn(`bad notification: ${(error as Error).message}`);
      }
    };
    // A LISTEN connection is closed, never lent again: back in the pool it would keep its handlers
    // (the next LISTEN on it adding a second one: every change told twice) and, released before
    // UNLISTEN, keep listening.
    const discard = () => {
      client.off('error', onError);
      client.off('notification', onNotification);
      try {
        client.release(true);
      } catch {
        // released already (an error after the first one)
      }
    };
    client.on('error', onError);
    client.on('notification', onNotification);
    try {
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (error) {
      this.lost(client, discard);
      throw error;
    }
    // The server may end the session right after LISTEN succeeded, before this line runs (both arrive
    // in one read): the error handler has then discarded the client, which must not be kept.
    if (broken) throw new Error('the LISTEN connection was lost');
    if (!this.wanted) return discard();
    this.client = { client, discard };
    this.listened.next();
  }

  /** The LISTEN connection broke: discard it (pg-pool must not lend it again) and listen anew. */
  private lost(client: pg.PoolClient, discard: () => void): void {
    if (this.client?.client === client) this.client = undefined;
    discard();
    this.listenLater();
  }

  private async unlisten(): Promise<void> {
    this.wanted = false;
    clearTimeout(this.retry);
    this.retry = undefined;
    await this.connecting;
    const listening = this.client;
    this.client = undefined;
    if (!listening) return;
    listening.discard(); // closing the session ends its LISTEN
    this.ensureListening(); // someone subscribed again meanwhile
  }

  /**
   * Ends every live stream: each merges `changes` with `listens()`, so both must complete, or the HTTP
   * server waits for the open dashboards to leave before it closes (main.ts gives up after 30 s, exits
   * 1 and leaves the embedded PostgreSQL running). EventSource reconnects once the server is back.
   */
  async onModuleDestroy(): Promise<void> {
    this.subject.complete();
    this.listened.complete();
    await this.unlisten();
  }
}
