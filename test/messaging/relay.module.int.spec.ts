import 'reflect-metadata';
import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import pg from 'pg';
import type { PostgresEventStore } from '#event-store';
import { RelayModule } from '#messaging';
import { APP_CONFIG, EVENT_STORE, HealthService, PG_POOL } from '#platform';
import {
  collectTopics,
  newEvent,
  uniquePrefix,
  waitUntil,
  openStoreFixture,
  type StoreFixture,
} from './relay-test-kit.js';

describe('RelayModule', () => {
  let fixture: StoreFixture;
  let store: PostgresEventStore;
  let pool: pg.Pool;

  beforeAll(async () => {
    fixture = await openStoreFixture('relay_module');
    ({ store, pool } = fixture);
  });
  afterAll(() => fixture?.close());

  /** What the platform module provides globally, built on this suite's database. */
  function platformWith(config: Record<string, unknown>) {
    @Global()
    @Module({
      providers: [
        { provide: EVENT_STORE, useValue: store },
        { provide: PG_POOL, useValue: pool },
        { provide: APP_CONFIG, useValue: config },
        HealthService,
      ],
      exports: [EVENT_STORE, PG_POOL, APP_CONFIG, HealthService],
    })
    class FakePlatformModule {}
    return FakePlatformModule;
  }

  it('starts the relay with the application, reports it in health, and stops it on close', async () => {
    // given an application with the relay module and brokers configured
    const prefix = uniquePrefix('module');
    const moduleRef = await Test.createTestingModule({
      imports: [
        platformWith({
          kafkaBrokers: process.env.KAFKA_BROKERS!.split(','),
          kafkaTopicPrefix: prefix,
          kafkaPartitions: 2,
        }),
        RelayModule,
      ],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const health = app.get(HealthService);
    try {
      // when an event is appended
      await waitUntil(
        'the relay is connected',
        async () => (await health.report()).components['kafka-relay']?.connected === true,
        30_000,
      );
      await store.append(
        'unit-u1',
        [
          newEvent('UnitRegistered', {
            unitId: 'u1',
            name: 'Đoàn phường 1',
            kind: 'ward',
            parentId: null,
          }),
        ],
        { expectedVersion: 'any' },
      );

      // then it reaches Kafka, and /health shows the relay caught up
      const consumer = await collectTopics(process.env.KAFKA_BROKERS!, [`${prefix}unit`]);
      try {
        await waitUntil('the event was consumed', () => consumer.received.length === 1, 30_000);
      } finally {
        await consumer.stop();
      }
      await waitUntil(
        'the relay reports no lag',
        async () => (await health.report()).components['kafka-relay']?.lag === 0,
        10_000,
      );
      expect((await health.report()).components['kafka-relay']).toMatchObject({
        healthy: true,
        enabled: true,
        connected: true,
        lag: 0,
      });
    } finally {
      await app.close();
    }
    // and once the application closed, the relay is no longer running
    expect((await health.report()).components['kafka-relay']).toMatchObject({
      healthy: false,
      running: false,
    });
  }, 90_000);

  it('stays idle, and says so, when no brokers are configured', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [platformWith({}), RelayModule],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    try {
      expect((await app.get(HealthService).report()).components['kafka-relay']).toEqual({
        healthy: true,
        enabled: false,
      });
    } finally {
      await app.close();
    }
  });
});
