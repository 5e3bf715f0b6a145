import type pg from 'pg';

/**
 * Who may publish as a relay of this name: the holder of a session advisory lock on a connection
 * of its own. Two workers started against one database (a second `npm run start:worker`, a worker
 * beside `npm start`) each ran a relay from the same checkpoint and published every event twice;
 * now the second stands by and takes over from the stored checkpoint when the first goes away (its
 * session ends with its process, even after a kill -9). A session lock, not a row lock: a row lock
 * holds a transaction open, whose id would hold the global feed back (`libs/event-store`'s horizon).
 */
export class RelayLease {
  private holder: pg.PoolClient | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly name: string,
  ) {}

  /** Whether this relay holds the lease now (false once its connection was lost). */
  get held(): boolean {
    return this.holder !== undefined;
  }

  /** Takes the lease if no other relay of this name holds it; true when held. */
  async acquire(): Promise<boolean> {
    if (this.holder) return true;
    const client = await this.pool.connect();
    // The connection may be lost at any time (a database restart): the lease goes with it. The
    // listener stays for the client's whole life, so that no late error ends the process (pg-pool
    // listens only on idle clients).
    let broken = false;
    client.on('error', () => {
      broken = true;
      if (this.holder !== client) return;
      this.holder = undefined;
      client.release(true);
    });
    let taken = false;
    try {
      const { rows } = await client.query<{ taken: boolean }>(
        `SELECT pg_try_advisory_lock(hashtextextended('relay:' || $1, 0)) AS taken`,
        [this.name],
      );
      // (an error may arrive with the answer, before this line: that lock is gone with its session)
      taken = rows[0]?.taken === true && !broken;
    } finally {
      // Closed rather than lent again: a pooled connection would keep a lock taken in a race.
      if (!taken) client.release(true);
    }
    if (taken) this.holder = client;
    return taken;
  }

  /** Gives the lease up: its connection is closed, never lent again, which ends the lock. */
  release(): void {
    const client = this.holder;
    this.holder = undefined;
    client?.release(true);
  }
}
