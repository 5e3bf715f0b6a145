import type pg from 'pg';
import { liveSlot } from './checkpoints.js';
import type { Sql } from './projection.js';

/** The projection has not reached the position a client asked for within the wait (HTTP 504). */
export class ProjectionNotReady extends Error {
  constructor(
    readonly projection: string,
    readonly minPosition: bigint,
    readonly checkpoint: bigint,
  ) {
    super(`projection ${projection} is at position ${checkpoint}, not yet at ${minPosition}`);
    this.name = 'ProjectionNotReady';
  }
}

export type LiveReadModel = Readonly<{ schema: string; position: bigint }>;

export const MIN_POSITION_WAIT_MS = 5_000;

/**
 * The schema a read should use (the projection's live slot) and its checkpoint. With `minPosition`, waits
 * until the checkpoint reaches it (read-your-writes after a command), up to `waitMs`.
 */
export async function liveReadModel(
  pool: pg.Pool,
  projection: string,
  minPosition?: bigint,
  waitMs = MIN_POSITION_WAIT_MS,
): Promise<LiveReadModel> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const slot = await liveSlot(pool, projection);
    const position = slot ? BigInt(slot.position) : 0n;
    if (slot && (minPosition === undefined || position >= minPosition))
      return { schema: slot.schema_name, position };
    if (Date.now() >= deadline)
      throw new ProjectionNotReady(projection, minPosition ?? 0n, position);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A query's answer with the read model and checkpoint it was computed from. */
export type SnapshotRead<T> = Readonly<{ value: T; schema: string; position: bigint }>;

/**
 * Answers queries from one snapshot of a projection's live slot, and shares an answer between callers
 * while the slot has not moved.
 *
 * A query of several statements (campaign progress runs five) would otherwise see the projection commit
 * a batch halfway and mix two states in one answer; in a REPEATABLE READ transaction every statement,
 * the checkpoint included, sees the same committed state, so `position` is exactly what the answer
 * reflects. And a read model only changes when its checkpoint moves: a dashboard's figures over a
 * province's history cost hundreds of milliseconds (bench/RESULTS.md), and a hundred viewers asking
 * for them at the same checkpoint need them computed once. Answers that depend on the clock as well
 * (overdue shifts, "today") must carry the date in their key or not be shared (`key` null).
 */
export class ReadModelReader {
  private readonly answers = new Map<string, Promise<SnapshotRead<unknown>>>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly maxAnswers = 500,
  ) {}

  async read<T>(
    projection: string,
    key: string | null,
    query: (sql: Sql, schema: string) => Promise<T>,
    minPosition?: bigint,
  ): Promise<SnapshotRead<T>> {
    const live = await liveReadModel(this.pool, projection, minPosition);
    if (key === null) return this.inSnapshot(projection, query);
    // The slot may move between reading its checkpoint here and taking the snapshot: the answer is then
    // newer than the checkpoint it is kept under, never older, which is all `minPosition` asks.
    const asked = `${projection}\u0000${live.schema}\u0000${live.position}\u0000${key}`;
    let answer = this.answers.get(asked) as Promise<SnapshotRead<T>> | undefined;
    if (!answer) {
      answer = this.inSnapshot(projection, query);
      this.remember(asked, answer);
      answer.catch(() => {
        if (this.answers.get(asked) === answer) this.answers.delete(asked);
      });
    }
    return answer;
  }

  private async inSnapshot<T>(
    projection: string,
    query: (sql: Sql, schema: string) => Promise<T>,
  ): Promise<SnapshotRead<T>> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      // The first statement fixes the snapshot: the checkpoint read here and the rows read next agree.
      const slot = await liveSlot(client, projection);
      if (!slot) throw new ProjectionNotReady(projection, 0n, 0n);
      const value = await query(client, slot.schema_name);
      await client.query('COMMIT');
      return { value, schema: slot.schema_name, position: BigInt(slot.position) };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private remember(key: string, answer: Promise<SnapshotRead<unknown>>): void {
    this.answers.delete(key);
    this.answers.set(key, answer);
    // Oldest first: answers of earlier checkpoints are never asked for again once the slot has moved.
    for (const old of this.answers.keys()) {
      if (this.answers.size <= this.maxAnswers) break;
      this.answers.delete(old);
    }
  }
}
