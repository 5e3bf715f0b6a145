import {
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type pg from 'pg';
import type { EventStore } from '#event-store';
import { APP_CONFIG, EVENT_STORE, HealthService, PG_POOL } from '#platform';
import { KafkaRelay } from './relay/kafka-relay.js';
import { registerObservedRelayMetrics } from './relay/relay-metrics.js';
import { RelayObserver } from './relay/relay-observer.js';

/** The part of the application configuration the relay reads; only `kafkaBrokers` is required to run. */
type RelayConfig = Readonly<{
  kafkaBrokers?: string | readonly string[] | null;
  kafkaTopicPrefix?: string;
  kafkaPartitions?: number;
}>;

/**
 * Runs the relay for the life of the application (the worker, or `npm start` when KAFKA_BROKERS is
 * set): started once every module is ready, stopped before the pool and the store are closed.
 * Without brokers configured it does nothing and reports itself as disabled.
 */
@Injectable()
export class RelayRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('KafkaRelay');
  readonly relay: KafkaRelay | null;

  constructor(
    @Inject(EVENT_STORE) eventStore: EventStore,
    @Inject(PG_POOL) pool: pg.Pool,
    @Inject(APP_CONFIG) config: RelayConfig,
    @Inject(HealthService) private readonly health: HealthService,
  ) {
    const brokers = config.kafkaBrokers;
    this.relay =
      brokers && brokers.length > 0
        ? new KafkaRelay({
            eventStore,
            pool,
            brokers,
            topicPrefix: config.kafkaTopicPrefix,
            partitions: config.kafkaPartitions,
            logger: this.logger,
          })
        : null;
  }

  onApplicationBootstrap(): void {
    const relay = this.relay;
    if (relay === null) {
      this.health.register('kafka-relay', async () => ({ healthy: true, enabled: false }));
      return;
    }
    // Optional for readiness: commands and reads are served while the broker is away (the events wait in
    // the log), so an unreachable broker makes /health `degraded`, never 503.
    this.health.register(
      'kafka-relay',
      async () => ({ enabled: true, ...(await relay.status()) }),
      { optional: true },
    );
    relay.start();
    this.logger.log('relaying events to Kafka');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
  }
}

/** The Kafka relay (worker side). Needs EVENT_STORE, PG_POOL, APP_CONFIG and HealthService from the platform. */
@Module({ providers: [RelayRunner], exports: [RelayRunner] })
export class RelayModule {}

/**
 * Shows in /health and /metrics the relay that another process runs (an API with RUN_WORKER=false and
 * KAFKA_BROKERS set): `RelayObserver`, from what the relay keeps in PostgreSQL. Optional for
 * readiness, like the relay itself.
 */
@Injectable()
export class RelayObserverRunner implements OnApplicationBootstrap {
  private readonly observer: RelayObserver;

  constructor(
    @Inject(EVENT_STORE) eventStore: EventStore,
    @Inject(PG_POOL) pool: pg.Pool,
    @Inject(HealthService) private readonly health: HealthService,
  ) {
    this.observer = new RelayObserver({ eventStore, pool });
  }

  onApplicationBootstrap(): void {
    this.health.register('kafka-relay', () => this.observer.status(), { optional: true });
    registerObservedRelayMetrics(this.observer.name, () => this.observer.status());
  }
}

/** The Kafka relay as seen from a process that does not run it (see `RelayObserverRunner`). */
@Module({ providers: [RelayObserverRunner] })
export class RelayObserverModule {}
