import {
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { EventStore } from '#event-store';
import { EVENT_STORE, HealthService, PG_POOL } from '#platform';
import type pg from 'pg';
import { projections } from './read-models/registry.js';
import { registerProjectionMetrics } from './runner/projection-metrics.js';
import { ProjectionRunner } from './runner/projection-runner.js';

/** Runs the projection runner for the process's lifetime and reports it in /health and /metrics. */
@Injectable()
export class ProjectionsWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Projections');
  readonly runner: ProjectionRunner;

  constructor(
    @Inject(PG_POOL) pool: pg.Pool,
    @Inject(EVENT_STORE) store: EventStore,
    private readonly health: HealthService,
  ) {
    this.runner = new ProjectionRunner(pool, store, projections, {
      log: (line) => this.logger.log(line),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.prepare();
    registerProjectionMetrics(() => this.runner.status());
    this.health.register('projections', async () => {
      const slots = await this.runner.status();
      return {
        healthy: this.runner.lastError === undefined,
        ...(this.runner.lastError ? { error: this.runner.lastError } : {}),
        head: slots[0]?.head,
        projections: slots.map((s) => ({
          name: s.name,
          version: s.version,
          state: s.state,
          checkpoint: s.checkpoint,
          lag: s.lag,
        })),
      };
    });
    this.runner.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.runner.stop();
  }
}

/** Runs the projections (apps/worker, and `npm start` inside the API process). */
@Module({ providers: [ProjectionsWorker], exports: [ProjectionsWorker] })
export class ProjectionsWorkerModule {}
