import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { RelayModule, RelayObserverModule } from '#messaging';
import type { AppConfig } from '#platform';
import { PlatformModule } from '#platform';
import {
  AuditLogWorkerModule,
  ProjectionsObserverModule,
  ProjectionsWorkerModule,
} from '#projections';
import { CommandRoutesModule } from './commands/command-routes.module.js';
import { DashboardController } from './dashboard/dashboard.controller.js';
import { HealthController } from './platform/health.controller.js';
import { MetricsController } from './platform/metrics.controller.js';
import { WhoAmIController } from './platform/whoami.controller.js';
import { QueriesModule } from './queries/queries.module.js';

export type AppModuleOptions = Readonly<{
  config: AppConfig;
  databaseUrl: string;
  /** Run the projections (and the relay when Kafka is configured) in this process. Default true. */
  worker?: boolean;
  /** Extra modules (tests mount probe routes this way). */
  imports?: readonly (Type | DynamicModule)[];
  /** Runs after the platform closed its connections (stops an embedded PostgreSQL). */
  onClosed?: () => Promise<void>;
}>;

/** `npm start`: the API and the worker in one process. */
@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    const { config, databaseUrl, worker = true, imports = [], onClosed } = options;
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ config, databaseUrl, onClosed }),
        CommandRoutesModule,
        QueriesModule,
        ...(worker ? [ProjectionsWorkerModule, AuditLogWorkerModule] : [ProjectionsObserverModule]),
        ...(config.kafkaBrokers ? [worker ? RelayModule : RelayObserverModule] : []),
        ...imports,
      ],
      controllers: [HealthController, MetricsController, WhoAmIController, DashboardController],
    };
  }
}
