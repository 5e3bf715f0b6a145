import {
  Inject,
  Injectable,
  Logger,
  Module,
  Optional,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { EventStore } from '#event-store';
import { EVENT_STORE, HealthService, PG_POOL } from '#platform';
import type pg from 'pg';
import { CampaignZonesHealth } from './read-models/campaign-progress/campaign-zones.health.js';
import { projections } from './read-models/registry.js';
import { registerProjectionMetrics } from './runner/projection-metrics.js';
import { ProjectionRunner } from './runner/projection-runner.js';
import { projectionStatus, type ProjectionStatus } from './runner/projection-status.js';

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
        ...slotsReport(slots),
      };
    });
    this.runner.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.runner.stop();
  }
}

/** Runs the projections (apps/worker, and `npm start` inside the API process). */
@Module({ providers: [ProjectionsWorker, CampaignZonesHealth], exports: [ProjectionsWorker] })
export class ProjectionsWorkerModule {}

/**
 * What /health shows of the slots, wherever they are projected. Positions as numbers, as a command's
 * answer and /admin/projections give them: a client compares them with those.
 */
const slotsReport = (slots: readonly ProjectionStatus[]) => ({
  head: slots[0] && Number(slots[0].head),
  projections: slots.map((s) => ({
    name: s.name,
    version: s.version,
    state: s.state,
    checkpoint: Number(s.checkpoint),
    lag: s.lag,
  })),
});

/** How long the live slots may stand still with events waiting before they count as stalled. */
export const STALLED_AFTER_MS = Symbol('STALLED_AFTER_MS');

/**
 * The projections in /health and /metrics of an API process that leaves them to a worker apart
 * (`RUN_WORKER=false`: the second and later processes of API_PROCESSES, or a deployment with
 * apps/worker): read from the checkpoints, which every process shares. Without it such a process said
 * `ok` with no word of the projections while no worker ran and every dashboard stood still. Stalled
 * live slots make it degraded, not unready: commands are still recorded, and reads still answer.
 * "Stalled" is judged between two asks of /health (a probe asks every few seconds): live checkpoints
 * unchanged for 30 s (`STALLED_AFTER_MS`) while events wait.
 */
@Injectable()
export class ProjectionsObserver implements OnApplicationBootstrap {
  private seen = { checkpoints: '', since: Date.now() };

  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly health: HealthService,
    @Optional() @Inject(STALLED_AFTER_MS) private readonly stalledAfterMs: number = 30_000,
  ) {}

  onApplicationBootstrap(): void {
    registerProjectionMetrics(() => projectionStatus(this.pool, this.store));
    this.health.register('projections', () => this.report(), { optional: true });
  }

  async report() {
    const slots = await projectionStatus(this.pool, this.store);
    const live = slots.filter((s) => s.state === 'live');
    const checkpoints = live.map((s) => `${s.name}@${s.checkpoint}`).join(',');
    if (checkpoints !== this.seen.checkpoints) this.seen = { checkpoints, since: Date.now() };
    const still = Date.now() - this.seen.since;
    const stalled = live.some((s) => s.lag > 0) && still >= this.stalledAfterMs;
    return {
      healthy: !stalled,
      projectedBy: 'another process (RUN_WORKER=false)',
      ...(stalled
        ? {
            error: `no live projection has moved for ${Math.round(still / 1000)} s while events wait: is the worker running?`,
          }
        : {}),
      ...slotsReport(slots),
    };
  }
}

/** Reports the projections that another process runs (an API started with RUN_WORKER=false). */
@Module({ providers: [ProjectionsObserver, CampaignZonesHealth] })
export class ProjectionsObserverModule {}
