import { Logger } from '@nestjs/common';
import { isConnectionFailure, isOutOfResources } from '#event-store';

/** No failure for this long after a connection succeeded again: the outage is over. */
const settleMs = 1_000;

/**
 * The process's view of its database being away. Everything that meets a connection failure (a pool's
 * client losing its server, a request answered 503, a background loop) reports it here, and every new
 * connection the pools open reports success; an outage thus logs one line when it starts and one when
 * it ends, instead of a stack trace per request. The end waits until connections have held for a
 * moment, so a server that accepts a connection and drops it again (a restart in progress, a sweep of
 * terminated backends) does not log a flurry of "back" and "away" lines.
 */
export class DatabaseOutage {
  private since: number | undefined;
  private failures = 0;
  private lastFailureAt = 0;
  /** The first connection made since the last failure: when the database was there again. */
  private backAt = 0;
  private settling: NodeJS.Timeout | undefined;
  /** The last refusal for want of a resource (class 53), which a `SELECT 1` does not meet. */
  private refused: { at: number; message: string } | undefined;

  constructor(private readonly logger: Pick<Logger, 'warn' | 'log'> = new Logger('Database')) {}

  get ongoing(): boolean {
    return this.since !== undefined;
  }

  /** Reports an error; returns whether it was a connection failure (and so counted here). */
  failed(error: unknown): boolean {
    if (!isConnectionFailure(error)) return false;
    this.lastFailureAt = Date.now();
    if (isOutOfResources(error))
      this.refused = { at: this.lastFailureAt, message: (error as Error).message };
    this.failures += 1;
    if (this.since === undefined) {
      this.since = this.lastFailureAt;
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn(
        `database unavailable (${message}); answering 503 and retrying until it is back`,
      );
    }
    return true;
  }

  /**
   * The database's last refusal for want of a resource within the last `withinMs`: a full disk
   * refuses every write while `SELECT 1` still answers, so /health said `ok` while every command
   * answered 503.
   */
  refusedWithin(withinMs: number): { secondsAgo: number; message: string } | undefined {
    const refused = this.refused;
    if (!refused || Date.now() - refused.at > withinMs) return undefined;
    return { secondsAgo: Math.round((Date.now() - refused.at) / 1000), message: refused.message };
  }

  /** A connection to the database was just established. */
  connected(): void {
    if (this.since === undefined) return;
    if (this.backAt < this.lastFailureAt) this.backAt = Date.now();
    if (this.settling) return;
    this.settling = setTimeout(() => this.settle(), settleMs);
    this.settling.unref();
  }

  private settle(): void {
    this.settling = undefined;
    if (this.since === undefined) return;
    if (Date.now() - this.lastFailureAt < settleMs) {
      this.connected(); // it failed again meanwhile: wait for the next quiet second
      return;
    }
    // Until it was back, not until the last failure: a dead server fails a burst of operations at
    // once, then nothing is tried until a connection succeeds (a kill -9 logged "0.0 s" for 1.7 s).
    const seconds = ((Math.max(this.backAt, this.lastFailureAt) - this.since) / 1000).toFixed(1);
    this.logger.log(
      `database available again (unavailable for ${seconds} s, ${this.failures} failed operations)`,
    );
    this.since = undefined;
    this.failures = 0;
  }
}

/** One per process: every pool of the process reaches the same database server. */
export const databaseOutage = new DatabaseOutage();
