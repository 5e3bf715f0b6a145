import type pg from 'pg';

/**
 * One command's write transaction on the command side's write pool, holding transaction advisory
 * locks until it ends:
 * - `stream`: a stream that writers in several processes keep racing for (see CommandHandling) is
 *   then read, decided and appended by one of them at a time;
 * - `guard` (a member whose shifts the command moves in time): the member's shifts read inside it stay
 *   as read until the commit, so two overlapping shifts of one member are never both accepted, and
 *   commands of other members never wait.
 * The stream's lock is always taken before the member's, so two transactions never wait on each other.
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
      if (stream !== undefined) await lock(client, `stream:${stream}`);
      return tx;
    } catch (error) {
      await tx.end();
      throw error;
    }
  }

  /** Takes the member's guard (after the stream's lock, if any). */
  async guard(memberId: string): Promise<void> {
    await lock(this.client, `member-shifts:${memberId}`);
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

const lock = (client: pg.PoolClient, key: string) =>
  client.query({
    name: 'write_lock',
    text: 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))',
    values: [key],
  });
