import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import { PG_POOL, ProblemException } from '#platform';
import { liveReadModel, ProjectionNotReady, type LiveReadModel } from '#projections';

/** Resolves the live slot of a projection for one read, honouring `?minPosition=` (API.md "General"). */
@Injectable()
export class ReadModels {
  constructor(@Inject(PG_POOL) readonly pool: pg.Pool) {}

  async open(projection: string, minPosition?: string): Promise<LiveReadModel> {
    try {
      return await liveReadModel(this.pool, projection, minPosition === undefined ? undefined : BigInt(minPosition));
    } catch (error) {
      if (error instanceof ProjectionNotReady) {
        throw new ProblemException(504, 'projection_lagging', `${error.message} after waiting 5 s; retry later`);
      }
      throw error;
    }
  }
}

export const positionOf = (model: LiveReadModel): number => Number(model.position);
