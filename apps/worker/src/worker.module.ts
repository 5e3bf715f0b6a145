import { Module, type DynamicModule } from '@nestjs/common';
import { RelayModule } from '#messaging';
import { PlatformModule, type AppConfig } from '#platform';
import { AuditLogWorkerModule, ProjectionsWorkerModule } from '#projections';

/** The worker alone (`npm run start:worker`): projections, and the relay when Kafka is configured. */
@Module({})
export class WorkerModule {
  static forRoot(options: { config: AppConfig; databaseUrl: string }): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        PlatformModule.forRoot(options),
        ProjectionsWorkerModule,
        AuditLogWorkerModule,
        ...(options.config.kafkaBrokers ? [RelayModule] : []),
      ],
    };
  }
}
