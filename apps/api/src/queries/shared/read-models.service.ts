import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import { PG_POOL, ProblemException } from '#platform';
import { ProjectionNotReady, ReadModelReader, type Sql } from '#projections';

/**
 * Runs a query on one snapshot of a projection's live read model, honouring `?minPosition=` (API.md
 * "General"): answers carry the checkpoint they reflect. Queries with the same key share one answer
 * while the read model has not moved; `key` null for answers that depend on the clock.
 */
@Injectable()
export class ReadModels {
  private readonly reader: ReadModelReader;

  constructor(@Inject(PG_POOL) readonly pool: pg.Pool) {
    this.reader = new ReadModelReader(pool);
  }

  async read<T>(
    projection: string,
    minPosition: string | undefined,
    key: readonly unknown[] | null,
    query: (sql: Sql, schema: string) => Promise<T>,
  ): Promise<{ value: T; position: number }> {
    try {
      const answer = await this.reader.read(
        projection,
        key && JSON.stringify(key),
        query,
        minPosition === undefined ? undefined : BigInt(minPosition),
      );
      return { value: answer.value, position: Number(answer.position) };
    } catch (error) {
      if (error instanceof ProjectionNotReady) {
        throw new ProblemException(
          504,
          'projection_lagging',
          `${error.message} after waiting 5 s; retry later`,
        );
      }
      throw error;
    }
  }
}
