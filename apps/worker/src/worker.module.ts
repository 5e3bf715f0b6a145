import { Module, type DynamicModule } from '@nestjs/common';
import { RelayModule } from '#messaging';
import { PlatformModule, type AppConfig, type ReadModelMigration } from '#platform';
import * as projections from '#projections';
import { AuditLogWorkerModule, ProjectionsWorkerModule } from '#projections';

/** The worker alone (`npm run start:worker`): projections, and the relay when Kafka is configured. */
@Module({})
export class WorkerModule {
  static forRoot(options: { config: AppConfig; databaseUrl: string }): DynamicModule {
    const migrations =
      (projections as { readModelMigrations?: readonly ReadModelMigration[] })
        .readModelMigrations ?? [];
    return {
      module: WorkerModule,
      imports: [
        PlatformModule.forRoot({ ...options, readModelMigrations: migrations }),
        ProjectionsWorkerModule,
        AuditLogWorkerModule,
        ...(options.config.kafkaBrokers ? [RelayModule] : []),
      ],
    };
  }
}
