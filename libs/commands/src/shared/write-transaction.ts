import type pg from 'pg';

/**
 * One command's write transaction on the command side's write pool. With a `guard` (a member whose
 * shifts the command moves in time) it first takes that member's transaction advisory lock, so that
 * the member's shifts read inside it stay as read until the commit: two overlapping shifts of one
 * member are never both accepted, and commands of other members never wait.
 */
export class WriteTransaction {
  private ended = false;
  /** A connection whose ROLLBACK failed is broken: the pool drops it instead of lending it again. */
  private broken: Error | undefined;

  private constructor(readonly client: pg.PoolClient) {}

  static async begin(pool: pg.Pool, guard?: string): Promise<WriteTransaction> {
    const client = await pool.connect();
    const tx = new WriteTransaction(client);
    try {
      await client.query('BEGIN');
      if (guard !== undefined)
        await client.query({
          name: 'member_guard',
          text: 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))',
          values: [`member-shifts:${guard}`],
        });
      return tx;
    } catch (error) {
      await tx.end();
      throw error;
    }
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
