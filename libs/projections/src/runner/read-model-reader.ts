import { connectionDefaults } from '#platform';
import type pg from 'pg';
import {
  LiveSlots,
  MIN_POSITION_WAIT_MS,
  ProjectionNotReady,
  reached,
  type LiveReadModel,
} from './live-slots.js';
import { rows, type Sql } from './projection.js';
import { QueryTurns } from './query-turns.js';
import { getSnapshot, SnapshotConflict, SnapshotNotFound, type Snapshot } from './snapshots.js';

/**
 * A slot written by another version of its projection than the one this code reads, whose tables the
 * query did not find as it expects them (a column or table of the new version missing). The live slot
 * of a projection whose version changed keeps answering while the new version is built beside it
 * (ensureSlots); queries that still fit the old tables answer from it, the others get this (503 while
 * upgrading; 409 for a snapshot of the old version, which has to be built again).
 */
export class ReadModelOutdated extends Error {
  constructor(
    readonly projection: string,
    readonly slotVersion: number,
    readonly codeVersion: number,
  ) {
    super(
      `${projection} is read as version ${codeVersion}, and this read model was built by version ${slotVersion}`,
    );
    this.name = 'ReadModelOutdated';
  }
}

/** PostgreSQL's undefined_column, undefined_table, undefined_function: the tables are not this version's. */
const notThisShape = new Set(['42703', '42P01', '42883']);

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
  private readonly slots: LiveSlots;

  /**
   * `versions`: the version of each projection that the queries are written for; `turns`: how many
   * queries may run at once (query-turns.ts).
   */
  constructor(
    private readonly pool: pg.Pool,
    private readonly versions: ReadonlyMap<string, number> = new Map(),
    private readonly turns = new QueryTurns(
      connectionDefaults.readQueriesMax,
      MIN_POSITION_WAIT_MS,
    ),
    private readonly maxAnswers = 500,
  ) {
    this.slots = new LiveSlots(pool);
  }

  async read<T>(
    projection: string,
    key: string | null,
    query: (sql: Sql, schema: string) => Promise<T>,
    minPosition?: bigint,
  ): Promise<SnapshotRead<T>> {
    if (key === null) {
      if (minPosition !== undefined) await this.live(projection, minPosition);
      return this.turns.run(() => this.inSnapshot(projection, query));
    }
    const live = await this.live(projection, minPosition);
    // The slot may move between reading its checkpoint here and taking the snapshot: the answer is then
    // newer than the checkpoint it is kept under, never older, which is all `minPosition` asks.
    const asked = `${projection}\u0000${live.schema}\u0000${live.position}\u0000${key}`;
    return this.shared(asked, () => this.turns.run(() => this.inSnapshot(projection, query)));
  }

  /** The live slot, once its checkpoint has reached `minPosition`. */
  private live(projection: string, minPosition?: bigint): Promise<LiveReadModel> {
    return reached(projection, minPosition, MIN_POSITION_WAIT_MS, async () =>
      (await this.slots.read()).get(projection),
    );
  }

  /**
   * Answers a query from a snapshot's frozen slot of the projection: 404 (SnapshotNotFound) for an
   * unknown snapshot, 409 (SnapshotConflict) while it is building or after it failed. A snapshot never
   * moves, so its answers are shared for as long as they are kept; `position` is the snapshot's bound.
   */
  async readSnapshot<T>(
    projection: string,
    snapshotId: string,
    key: string | null,
    query: (sql: Sql, schema: string) => Promise<T>,
  ): Promise<SnapshotRead<T> & { snapshot: Snapshot }> {
    const snapshot = await getSnapshot(this.pool, snapshotId);
    if (!snapshot) throw new SnapshotNotFound(snapshotId);
    if (snapshot.state !== 'ready')
      throw new SnapshotConflict(
        snapshotId,
        snapshot.state === 'building'
          ? `snapshot ${snapshotId} is still building: follow GET /admin/jobs/${snapshot.jobId}`
          : `snapshot ${snapshotId} failed: ${snapshot.error ?? 'unknown error'}`,
      );
    const [slot] = await rows<{ schema_name: string; version: number }>(
      this.pool,
      `SELECT schema_name, version FROM projection_checkpoints WHERE snapshot_id = $1 AND projection = $2 AND state = 'snapshot'`,
      [snapshotId, projection],
    );
    if (!slot) throw new SnapshotNotFound(snapshotId); // deleted meanwhile
    const position = BigInt(snapshot.stopPosition);
    const run = () =>
      this.turns.run(async (): Promise<SnapshotRead<T>> => {
        const client = await this.pool.connect();
        try {
          const value = await this.ofVersion(projection, slot.version, () =>
            query(client, slot.schema_name),
          );
          return { value, schema: slot.schema_name, position };
        } finally {
          client.release();
        }
      });
    if (key === null) return { ...(await run()), snapshot };
    // Kept under the build (its job's id, never reused), not the schema name alone: a deleted
    // snapshot's slots are dropped after the grace period, and the next snapshot's take the same
    // names, which answered the deleted snapshot's figures and position.
    return {
      ...(await this.shared(
        `snapshot\u0000${snapshot.jobId}\u0000${slot.schema_name}\u0000${key}`,
        run,
      )),
      snapshot,
    };
  }

  /** One answer per key while it is kept; a failed answer is forgotten so that the next caller retries. */
  private shared<T>(
    asked: string,
    compute: () => Promise<SnapshotRead<T>>,
  ): Promise<SnapshotRead<T>> {
    let answer = this.answers.get(asked) as Promise<SnapshotRead<T>> | undefined;
    if (!answer) {
      answer = compute();
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
      // One round trip: BEGIN, and the statement that fixes the snapshot, so that the checkpoint read
      // here and the rows the query reads next agree. The projection's name is ours, not a client's.
      const [, found] = (await client.query(
        `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; ` +
          `SELECT schema_name, position, version FROM projection_checkpoints WHERE projection = ${client.escapeLiteral(projection)} AND state = 'live'`,
      )) as unknown as [
        unknown,
        pg.QueryResult<{ schema_name: string; position: string; version: number }>,
      ];
      const slot = found.rows[0];
      if (!slot) throw new ProjectionNotReady(projection, 0n, 0n);
      const value = await this.ofVersion(projection, slot.version, () =>
        query(client, slot.schema_name),
      );
      await client.query('COMMIT');
      return { value, schema: slot.schema_name, position: BigInt(slot.position) };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Runs a query on a slot of `version`: a failure for want of this version's tables says so. */
  private async ofVersion<T>(projection: string, version: number, query: () => Promise<T>) {
    try {
      return await query();
    } catch (error) {
      const code = (error as { code?: string }).code;
      const current = this.versions.get(projection);
      if (current !== undefined && current !== version && notThisShape.has(code ?? ''))
        throw new ReadModelOutdated(projection, version, current);
      throw error;
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
