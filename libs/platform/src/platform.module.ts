import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type pg from 'pg';
import type { EventStore } from '#event-store';
import { Authorizer } from './auth/authorizer.js';
import { AuthGuard } from './auth/auth.guard.js';
import type { AppConfig } from './config/app-config.js';
import { openPool } from './database/pool.js';
import { databaseOutage } from './database/database-outage.js';
import { createEventStore } from './event-store.factory.js';
import { HealthService } from './health/health.service.js';
import { PersonalDataVault } from './personal-data/personal-data.vault.js';
import { APP_CONFIG, EVENT_STORE, PG_POOL } from './tokens.js';

export type PlatformOptions = Readonly<{
  config: AppConfig;
  /** The database actually used (DATABASE_URL, or the embedded server's URL). */
  databaseUrl: string;
  /** Runs once everything the platform opened is closed (createApp stops an embedded PostgreSQL here). */
  onClosed?: () => Promise<void>;
}>;

const PLATFORM_OPTIONS = Symbol('PLATFORM_OPTIONS');

/** A health check answers even when the database does not (a host gone without a word). */
function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(message)), ms);
  });
  work.catch(() => undefined); // failing after the timeout: already answered
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Closes what the platform opened, after every module has stopped using it. */
@Injectable()
class PlatformLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Platform');

  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly health: HealthService,
    @Inject(PLATFORM_OPTIONS) private readonly options: PlatformOptions,
  ) {}

  onModuleInit(): void {
    this.health.register('database', async () => {
      const started = Date.now();
      await withTimeout(
        this.pool.query('SELECT 1'),
        2_000,
        'no answer from the database within 2 s',
      );
      return { healthy: true, reachable: true, latencyMs: Date.now() - started };
    });
    // Optional: reads go on while a full disk refuses writes, and every instance shares the database,
    // so a readiness probe that took this one out would take them all; `degraded` tells the operator.
    this.health.register(
      'databaseResources',
      async () => {
        const refused = databaseOutage.refusedWithin(30_000);
        return refused
          ? {
              healthy: false,
              error:
                `PostgreSQL refused an operation for want of a resource ${refused.secondsAgo} s ago ` +
                `(${refused.message}): commands answer 503 until it is freed (disk space, memory, connections)`,
            }
          : { healthy: true };
      },
      { optional: true },
    );
  }

  /**
   * Global modules shut down after the others (projections, relay, commands have stopped by now), so
   * nothing holds a connection when `onClosed` stops the server.
   */
  async onApplicationShutdown(): Promise<void> {
    const warn = (what: string) => (e: unknown) =>
      this.logger.warn(`closing ${what}: ${(e as Error).message}`);
    await this.store.close().catch(warn('the event store'));
    if (!this.pool.ended) await this.pool.end().catch(warn('the pool'));
    await this.options.onClosed?.();
  }
}

/**
 * The infrastructure every module shares, once per process: configuration, one pg pool, one event
 * store, personal-data vault, health, and the global auth guard. Each component migrates its own
 * tables when it starts (#schema).
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const { config, databaseUrl } = options;
    return {
      module: PlatformModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: PLATFORM_OPTIONS, useValue: options },
        {
          provide: PG_POOL,
          // connection failures are logged once per outage (databaseOutage); other errors here
          useFactory: () =>
            openPool({ connectionString: databaseUrl, max: 20 }, (error) =>
              new Logger('PgPool').warn(error.message),
            ),
        },
        {
          provide: EVENT_STORE,
          useFactory: (pool: pg.Pool) => createEventStore(config, pool),
          inject: [PG_POOL],
        },
        {
          provide: PersonalDataVault,
          useFactory: async (pool: pg.Pool) => {
            const vault = new PersonalDataVault(pool);
            await vault.init();
            return vault;
          },
          inject: [PG_POOL],
        },
        HealthService,
        Authorizer,
        PlatformLifecycle,
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [APP_CONFIG, PG_POOL, EVENT_STORE, PersonalDataVault, HealthService, Authorizer],
    };
  }
}
