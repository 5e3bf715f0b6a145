import type pg from 'pg';
import { NOTIFY_CHANNEL } from './sql.js';

/**
 * A NOTIFY is a transaction with an id and a commit record; it need not wait for that record to reach
 * disk (it carries no data), and letting it wait made it compete with the appends for WAL flushes.
 */
const NOTIFY_SQL = `SELECT set_config('synchronous_commit', 'off', true), pg_notify('${NOTIFY_CHANNEL}', '')`;

/**
 * Wakes subscribers when events were committed: at once for subscribers of this process, and through
 * LISTEN/NOTIFY for other processes. Polling in the subscription covers lost notifications, a dropped
 * LISTEN connection and horizon moves that no append announced.
 */
export class FeedWakeup {
  private readonly listeners = new Set<() => void>();
  private listenClient: pg.PoolClient | undefined;
  private listenStarting: Promise<void> | undefined;
  private notifyPending = false;
  private notifyRunning: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly pool: pg.Pool) {}

  /**
   * Registers a wake callback; starts listening on first use. Returns the unregister function; the last
   * one to go gives the LISTEN connection back to the pool (a pool ended without closing the store
   * would otherwise wait for it for ever).
   */
  register(listener: () => void): () => void {
    this.listeners.add(listener);
    void this.ensureListening();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.listenClient)
        this.dropListener(this.listenClient, 'end');
    };
  }

  /**
   * Called after an append committed. NOTIFYs are coalesced (at most one in flight, one queued) and sent
   * from their own autocommit statement, not inside the append: a NOTIFY in the writing transaction would
   * take PostgreSQL's global notify lock at every commit and serialise all writers.
   */
  appended(): void {
    this.wakeLocal();
    if (this.closed) return;
    this.notifyPending = true;
    if (!this.notifyRunning) this.notifyRunning = this.flushNotifications();
  }

  private async flushNotifications(): Promise<void> {
    try {
      while (this.notifyPending && !this.closed) {
        this.notifyPending = false;
        await this.pool.query(NOTIFY_SQL).catch(() => undefined);
      }
    } finally {
      this.notifyRunning = undefined;
    }
  }

  private wakeLocal(): void {
    for (const listener of this.listeners) listener();
  }

  private ensureListening(): Promise<void> {
    if (this.listenClient || this.closed) return Promise.resolve();
    this.listenStarting ??= this.startListening().finally(() => {
      this.listenStarting = undefined;
    });
    return this.listenStarting;
  }

  private async startListening(): Promise<void> {
    let client: pg.PoolClient | undefined;
    let broken = false;
    try {
      client = await this.pool.connect();
      client.on('notification', () => this.wakeLocal());
      client.on('error', () => {
        broken = true;
        this.dropListener(client!, true);
      });
      await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
      // The session may end right after LISTEN succeeded, before this line runs: the error handler
      // then released the client and scheduled another try; a dead client must not be kept.
      if (broken) return;
      if (this.closed) return this.dropListener(client, false);
      if (this.listeners.size === 0) return this.dropListener(client, 'end');
      this.listenClient = client;
    } catch {
      if (client) this.dropListener(client, true);
      else this.retryListenLater();
    }
  }

  /** `broken`: released as failed, and listening tried again later; `'end'`: its session ended (no LISTEN left behind in the pool). */
  private dropListener(client: pg.PoolClient, broken: boolean | 'end'): void {
    if (this.listenClient === client) this.listenClient = undefined;
    try {
      client.release(broken ? true : undefined);
    } catch {
      // already released
    }
    if (broken === true) this.retryListenLater();
  }

  private retryListenLater(): void {
    if (this.closed || this.listeners.size === 0) return;
    setTimeout(() => void this.ensureListening(), 1_000).unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.listenStarting;
    await this.notifyRunning;
    const client = this.listenClient;
    this.listenClient = undefined;
    if (client) {
      await client.query(`UNLISTEN ${NOTIFY_CHANNEL}`).catch(() => undefined);
      client.release();
    }
  }
}
