import {
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { openNote, parseVerifierKey, type EventStore } from '#event-store';
import { APP_CONFIG, EVENT_STORE, HealthService, PG_POOL, type AppConfig } from '#platform';
import type pg from 'pg';
import { AuditLogRunner } from './audit-log.runner.js';
import { migrateAuditLog } from './audit-log.schema.js';

/**
 * `/health` component `auditLogKey`: whether the latest signed checkpoint is signed by this process's
 * key, the one `/audit/log/key` serves and hours certificates carry. Processes that generated their
 * own key (each its own DATA_DIR: docker/compose.yml's api and worker containers, a second worker
 * started from another directory) each served or signed with another: the API handed auditors a key
 * that had signed nothing, and two workers signed alternate checkpoints with two keys, so that
 * `verify log` and `verify certificate` failed for the checkpoints of the other. Optional for
 * readiness (the process serves requests); after a deliberate change of key it clears with the next
 * checkpoint, which the new key signs.
 */
@Injectable()
export class AuditLogKeyCheck implements OnApplicationBootstrap {
  constructor(
    private readonly runner: AuditLogRunner,
    @Inject(HealthService) private readonly health: HealthService,
  ) {}

  onApplicationBootstrap(): void {
    this.health.register('auditLogKey', () => this.report(), { optional: true });
  }

  async report() {
    const key = this.runner.verifierKey;
    const latest = await this.runner.checkpoints.latest();
    if (!latest) return { healthy: true, key, signedSize: 0 };
    try {
      openNote(latest.note, [parseVerifierKey(key)]);
      return { healthy: true, key, signedSize: latest.treeSize };
    } catch {
      return {
        healthy: false,
        key,
        signedSize: latest.treeSize,
        error: `the latest checkpoint (size ${latest.treeSize}) is not signed by this process's key, which /audit/log/key serves: give every process of the deployment the same AUDIT_SIGNING_KEY (or DATA_DIR)`,
      };
    }
  }
}

/** The verifiable log's stores (what the /audit/log routes read), in every process that has routes. */
@Module({
  providers: [
    AuditLogKeyCheck,
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
