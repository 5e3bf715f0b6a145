import type pg from 'pg';
import { selectHeadVersions, sharedStreamLock, streamLock } from '#event-store';
import type { StreamHeads } from './stream-states.js';

/** The locks a command's transaction takes (see WriteTransaction), and the heads it reads under them. */
export type Locks = Readonly<{
  /** The command's own stream: its lock, exclusive. */
  stream?: string;
  /** A member whose shifts the command moves in time: their guard. */
  guard?: string;
  /** Streams whose state the command decides on: their locks, shared. */
  reads?: readonly string[];
  /**
   * Streams whose head versions to read once the locks are held, from the PostgreSQL event store's
   * table (none when the events live elsewhere): a state folded at that version is current.
   */
  heads?: readonly string[];
  /**
   * A read of the command database run last, once the locks are held and the heads read, whose rows
   * come back as `asked`: what a guarded command must know before it decides, asked in the same
   * message (the directory's catch-up question, DirectoryService.question).
   */
  ask?: string;
}>;

/**
 * One command's write transaction on the command side's write pool, holding transaction advisory
 * locks until it ends:
 * - `stream`: the lock every append to the stream takes in its statement (the event store's STREAM
 *   LOCK), taken here before the command reads the stream, so that no append slips in between its
 *   read and its own append;
 * - `guard` (a member whose shifts the command moves in time): the member's shifts read inside it stay
 *   as read until the commit, so two overlapping shifts of one member are never both accepted, and
 *   commands of other members never wait.
 * - `reads` (streams whose state the command decides on, e.g. its member's and its campaign's): their
 *   locks, shared, so that an erasure or a closing is recorded before the command reads them or after
 *   its commit, never in between (THE STREAM LOCK); commands that read the same stream never wait.
 * Every writer takes the stream's lock, then the member's guard, then the streams it reads in the
 * order of their ids, so two never wait on each other in a cycle (a guarded transaction takes its
 * stream's lock first: its append would take it anyway, after the member's).
 *
 * BEGIN, the locks, the heads of the streams read and the question asked under them go to the server
 * in one message (`begin`): a campaign assistance is that message, its append and COMMIT.
 */
export class WriteTransaction {
  private ended = false;
  /** A connection whose ROLLBACK failed is broken: the pool drops it instead of lending it again. */
  private broken: Error | undefined;
  private readonly read = new Map<string, bigint>();
  private answer: readonly Record<string, unknown>[] = [];

  private constructor(readonly client: pg.PoolClient) {}

  /** The head versions `Locks.heads` asked for, read under the locks held by then. */
  get heads(): StreamHeads {
    return this.read;
  }

  /** The rows of `Locks.ask`, read under the locks (none until asked). */
  get asked(): readonly Record<string, unknown>[] {
    return this.answer;
  }

  static async begin(pool: pg.Pool, locks: Locks = {}): Promise<WriteTransaction> {
    const client = await pool.connect();
    const tx = new WriteTransaction(client);
    try {
      await tx.send(['BEGIN'], locks);
      return tx;
    } catch (error) {
      await tx.end();
      throw error;
    }
  }

  /**
   * More locks, and heads, after those taken at `begin` and in the same order: a command that began
   * with its stream's lock (a stream raced for) learns what else it locks only from its state.
   */
  lock(locks: Locks): Promise<void> {
    return this.send([], locks);
  }

  /**
   * The statements in one message (the simple query protocol, so values go in as literals): the
   * server runs them in order, each with a snapshot of its own (READ COMMITTED), so the heads, read
   * after the statements that took the locks, show everything committed by whoever held them before.
   */
  private async send(first: readonly string[], locks: Locks): Promise<void> {
    const literal = (text: string) => this.client.escapeLiteral(text);
    const statements = [...first];
    if (locks.stream !== undefined) statements.push(`SELECT ${streamLock(literal(locks.stream))}`);
    if (locks.guard !== undefined) {
      const guard = literal(`member-shifts:${locks.guard}`);
      statements.push(`SELECT pg_advisory_xact_lock(hashtextextended(${guard}, 0))`);
    }
    for (const read of [...new Set(locks.reads)].sort())
      statements.push(`SELECT ${sharedStreamLock(literal(read))}`);
    const heads = [...new Set(locks.heads)];
    const headsAt = heads.length > 0 ? statements.length : -1;
    if (heads.length > 0)
      statements.push(selectHeadVersions(`ARRAY[${heads.map(literal).join(', ')}]::text[]`));
    const askedAt = locks.ask !== undefined ? statements.length : -1;
    if (locks.ask !== undefined) statements.push(locks.ask);
    if (statements.length === 0) return;
    const results = [
      (await this.client.query(statements.join(';\n'))) as pg.QueryResult | pg.QueryResult[],
    ].flat();
    if (askedAt >= 0) this.answer = results[askedAt]!.rows as Record<string, unknown>[];
    if (headsAt < 0) return;
    const rows = results[headsAt]!.rows as { stream_id: string; version: string }[];
    for (const row of rows) this.read.set(row.stream_id, BigInt(row.version));
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
