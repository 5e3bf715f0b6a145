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

/**
 * The runner NOTIFYs inside each batch transaction, so a message arrives only once the batch committed,
 * from whichever process ran it. One LISTEN connection per process, opened while someone listens.
 */
@Injectable()
export class ProjectionChangesFeed implements OnModuleDestroy {
  private readonly logger = new Logger('ProjectionChanges');
  private client: pg.PoolClient | undefined;
  private listening: Promise<void> | undefined;
  private readonly subject = new Subject<ProjectionChange>();
  readonly changes: Observable<ProjectionChange>;

  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {
    this.changes = new Observable<ProjectionChange>((subscriber) => {
      const inner = this.subject.subscribe(subscriber);
      this.listening = this.listen();
      this.listening.catch((error: Error) => subscriber.error(error));
      return () => inner.unsubscribe();
    }).pipe(
      finalize(() => void this.unlisten()),
      share(),
    );
  }

  /**
   * Resolves once notifications are being received (call it after subscribing to `changes`). A client
   * that reads the read models after this misses nothing: a change it did not see will be notified.
   */
  whenListening(): Promise<void> {
    return this.listening ?? Promise.resolve();
  }

  private async listen(): Promise<void> {
    if (this.client) return;
    const client = await this.pool.connect();
    this.client = client;
    client.on('notification', (message) => {
      if (message.channel !== CHANGES_CHANNEL || !message.payload) return;
      try {
        this.subject.next(JSON.parse(message.payload) as ProjectionChange);
      } catch (error) {
        this.logger.warn(`bad notification: ${(error as Error).message}`);
      }
    });
    await client.query(`LISTEN ${CHANGES_CHANNEL}`);
  }

  private async unlisten(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.listening = undefined;
    if (!client) return;
    await client.query(`UNLISTEN ${CHANGES_CHANNEL}`).catch(() => undefined);
    client.release();
  }

  async onModuleDestroy(): Promise<void> {
    this.subject.complete();
    await this.unlisten();
  }
}
