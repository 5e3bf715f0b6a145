import {
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { EventStore } from '#event-store';
import { APP_CONFIG, EVENT_STORE, HealthService, PG_POOL, type AppConfig } from '#platform';
import type pg from 'pg';
import { AuditLogRunner } from './audit-log.runner.js';
import { migrateAuditLog } from './audit-log.schema.js';

/** The verifiable log's stores (what the /audit/log routes read), in every process that has routes. */
@Module({
  providers: [
    {
      provide: AuditLogRunner,
      useFactory: async (pool: pg.Pool, store: EventStore, config: AppConfig) => {
        await migrateAuditLog(pool);
        const logger = new Logger('AuditLog');
        return new AuditLogRunner(pool, store, {
          signingKey: config.auditSigningKey,
          origin: config.auditLogOrigin,
          checkpointIntervalMs: config.auditCheckpointIntervalMs,
          log: (line) => logger.log(line),
        });
      },
      inject: [PG_POOL, EVENT_STORE, APP_CONFIG],
    },
  ],
  exports: [AuditLogRunner],
})
export class AuditLogModule {}

/** Keeps the tree up with the feed and signs checkpoints for the process's lifetime. */
@Injectable()
export class AuditLogWorker implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    readonly runner: AuditLogRunner,
    @Inject(HealthService) private readonly health: HealthService,
  ) {}

  onApplicationBootstrap(): void {
    this.health.register('auditLog', async () => {
      const { treeSize } = await this.runner.tree.state();
      const latest = await this.runner.checkpoints.latest();
      return {
        healthy: this.runner.lastError === undefined,
        ...(this.runner.lastError ? { error: this.runner.lastError } : {}),
        treeSize,
        signedSize: latest?.treeSize ?? 0,
      };
    });
    this.runner.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.runner.stop();
  }
}

/** apps/worker, and `npm start` inside the API process. */
@Module({ imports: [AuditLogModule], providers: [AuditLogWorker], exports: [AuditLogModule] })
export class AuditLogWorkerModule {}
