import type pg from 'pg';
import { lockStreamStatement, sharedStreamLock, streamLock } from '#event-store';

/**
 * One command's write transaction on the command side's write pool, holding transaction advisory
 * locks until it ends:
 * - `stream`: the lock every append to the stream takes in its statement (the event store's STREAM
 *   LOCK), taken here before the command reads the stream, so that no append slips in between its
 *   read and its own append;
 * - `guard` (a member whose shifts the command moves in time): the member's shifts read inside it stay
 *   as read until the commit, so two overlapping shifts of one member are never both accepted, and
 *   commands of other members never wait.
 * - `read` (streams whose state the command decides on, e.g. its member's and its campaign's): their
 *   locks, shared, so that an erasure or a closing is recorded before the command reads them or after
 *   its commit, never in between (THE STREAM LOCK); commands that read the same stream never wait.
 * A guarded transaction takes its stream's lock first (its append would take it anyway, after the
 * member's): every writer takes the stream's lock, then the member's guard, then the streams it reads
 * in the order of their ids, so two never wait on each other in a cycle.
 */
export class WriteTransaction {
  private ended = false;
  /** A connection whose ROLLBACK failed is broken: the pool drops it instead of lending it again. */
  private broken: Error | undefined;

  private constructor(readonly client: pg.PoolClient) {}

  static async begin(pool: pg.Pool, stream?: string): Promise<WriteTransaction> {
    const client = await pool.connect();
    const tx = new WriteTransaction(client);
    try {
      await client.query('BEGIN');
      if (stream !== undefined) await client.query(lockStreamStatement(stream));
      return tx;
    } catch (error) {
      await tx.end();
      throw error;
    }
  }

  /** Takes the member's guard, in one round trip after the stream's lock (held already or not). */
  async guard(streamId: string, memberId: string): Promise<void> {
    await this.client.query({
      name: 'member_guard',
      text: `WITH stream AS MATERIALIZED (SELECT ${streamLock('$1')})
             SELECT pg_advisory_xact_lock(hashtextextended($2, 0)) FROM stream`,
      values: [streamId, `member-shifts:${memberId}`],
    });
  }

  /**
   * Holds the locks of the streams `read` shared, in one round trip after the stream's lock (held
   * already or not), in the order of their ids (unnest yields the sorted array in order).
   */
  async read(streamId: string, read: readonly string[]): Promise<void> {
    await this.client.query({
      name: 'read_streams',
      text: `WITH stream AS MATERIALIZED (SELECT ${streamLock('$1')})
             SELECT ${sharedStreamLock('r.id')} FROM stream, unnest($2::text[]) AS r(id)`,
      values: [streamId, [...new Set(read)].sort()],
    });
  }

  async commit(): Promise<void> {
    await this.client.query('COMMIT');
    this.ended = true;
  }

  async rollback(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.client.query('ROLLBACK').catch((error: Error) => (this.broken = error));
  }

  /** Rolls back what was not committed and gives the connection back. */
  async end(): Promise<void> {
    await this.rollback();
    this.client.release(this.broken);
  }
}
