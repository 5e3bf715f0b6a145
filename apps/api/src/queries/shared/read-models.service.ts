import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type pg from 'pg';
import {
  APP_CONFIG,
  conflict,
  notFound,
  PG_POOL,
  ProblemException,
  type AppConfig,
} from '#platform';
import {
  MIN_POSITION_WAIT_MS,
  prepareReadModels,
  ProjectionNotReady,
  QueryTurns,
  ReadsBusy,
  projections,
  ReadModelOutdated,
  ReadModelReader,
  getSnapshot,
  SnapshotConflict,
  SnapshotNotFound,
  type Snapshot,
  type Sql,
  UnknownFilterId,
} from '#projections';

/** Where an answer comes from: the checkpoint it reflects and, for a snapshot, which one (API.md). */
export type AnswerStamp = Readonly<{
  position: number;
  snapshot?: { id: string; toPosition: number } | { id: string; toTime: string };
}>;

/**
 * Runs a query on one snapshot of a projection's live read model, honouring `?minPosition=` (API.md
 * "General"), or on a named snapshot of the past with `?snapshot=` (API.md "Snapshots"): answers carry
 * the checkpoint they reflect, and the snapshot when there is one. Queries with the same key share one
 * answer while the read model has not moved; `key` null for answers that depend on the clock.
 */
@Injectable()
export class ReadModels implements OnModuleInit {
  private readonly reader: ReadModelReader;

  constructor(
    @Inject(PG_POOL) readonly pool: pg.Pool,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.reader = new ReadModelReader(
      pool,
      new Map(projections.map((p) => [p.name, p.version])),
      new QueryTurns(config.readQueriesMax, MIN_POSITION_WAIT_MS),
    );
  }

  /**
   * The tables reads look slots up in, and a first live slot per projection, also where no worker
   * runs in this process (RUN_WORKER=false): a new database answers empty read models until a worker
   * fills them. Rebuilds for a version change are left to the worker, whose code fills them.
   */
  onModuleInit(): Promise<void> {
    return prepareReadModels(this.pool, projections, { upgrade: false });
  }

  /**
   * The clock a read's answer is judged by where it depends on it (an open shift's `overdue`, a
   * posting streak's "today"): now for the live read models, the snapshot's own moment for
   * `?snapshot=`, so that a snapshot answers the same every day. `read` returns it with its answer;
   * this is for a query that needs it before (an unknown or unready snapshot is left to `read`, which
   * refuses it).
   */
  async clockOf(asked: { snapshot?: string }): Promise<Date> {
    if (asked.snapshot === undefined) return new Date();
    const snapshot = await getSnapshot(this.pool, asked.snapshot);
    return snapshot ? new Date(snapshot.asOf) : new Date();
  }

  async read<T>(
    projection: string,
    asked: { minPosition?: string; snapshot?: string },
    key: readonly unknown[] | null,
    query: (sql: Sql, schema: string) => Promise<T>,
  ): Promise<{
    value: Exclude<T, UnknownFilterId>;
    stamp: AnswerStamp;
    /** What the answer is judged by where it depends on the clock (see clockOf). */
    clock: Date;
  }> {
    const shared = key && JSON.stringify(key);
    try {
      if (asked.snapshot !== undefined) {
        // A snapshot never moves: `minPosition` has nothing to wait for there.
        const answer = await this.reader.readSnapshot(projection, asked.snapshot, shared, query);
        return {
          value: known(answer.value),
          stamp: { position: Number(answer.position), snapshot: stampOf(answer.snapshot) },
          clock: new Date(answer.snapshot.asOf),
        };
      }
      const answer = await this.reader.read(
        projection,
        shared,
        query,
        asked.minPosition === undefined ? undefined : BigInt(asked.minPosition),
      );
      return {
        value: known(answer.value),
        stamp: { position: Number(answer.position) },
        clock: new Date(),
      };
    } catch (error) {
      if (error instanceof ProjectionNotReady) throw notReachedInTime(error);
      if (error instanceof ReadModelOutdated && asked.snapshot !== undefined)
        throw conflict(
          `snapshot ${asked.snapshot} holds version ${error.slotVersion} of ${error.projection}, which this server reads as version ${error.codeVersion}: build it again (POST /admin/snapshots)`,
          'snapshot_outdated',
        );
      if (error instanceof ReadModelOutdated) {
        throw new ProblemException(
          503,
          'read_model_upgrading',
          `${error.message}: version ${error.codeVersion} is being built beside it (GET /admin/projections) and answers once it has caught up; retry later`,
        );
      }
      if (error instanceof ReadsBusy)
        throw new ProblemException(503, 'reads_busy', `${error.message}; retry later`);
      if (error instanceof SnapshotNotFound) throw notFound(error.message, 'snapshot_not_found');
      if (error instanceof SnapshotConflict) throw conflict(error.message, 'snapshot_not_ready');
      throw error;
    }
  }
}

/** A `minPosition` not reached within the wait: 504, and the client retries later (API.md "General"). */
export const notReachedInTime = (error: ProjectionNotReady): ProblemException =>
  new ProblemException(
    504,
    'projection_lagging',
    `${error.message} after waiting 5 s; retry later`,
  );

/**
 * An answer filtered by an id that names nothing (ifFilterIdsKnown) is a 404. It comes back as a
 * value, not an error, so that it is shared at its checkpoint like any answer.
 */
function known<T>(value: T): Exclude<T, UnknownFilterId> {
  if (value instanceof UnknownFilterId) throw notFound(value.message, value.code);
  return value as Exclude<T, UnknownFilterId>;
}

function stampOf(snapshot: Snapshot): NonNullable<AnswerStamp['snapshot']> {
  return snapshot.toTime !== null
    ? { id: snapshot.id, toTime: snapshot.toTime }
    : { id: snapshot.id, toPosition: Number(snapshot.toPosition) };
}
