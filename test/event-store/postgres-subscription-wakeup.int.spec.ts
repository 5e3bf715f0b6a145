import pg from 'pg';
import { createPostgresEventStore, type PostgresEventStore } from '#event-store';
import {
  events,
  subscriptionReader,
  uniqueName,
} from '../../libs/event-store/src/testing/event-fixtures.js';
import { createTestDatabase } from '../harness/database.js';

/** Subscriptions are woken by LISTEN/NOTIFY, and polling covers whatever no notification announces. */
describe('waking PostgreSQL subscriptions', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let writer: PostgresEventStore;
  let reader: PostgresEventStore;
  beforeAll(async () => {
    database = await createTestDatabase('es_wakeup');
    writer = createPostgresEventStore({ connectionString: database.url });
    const readerUrl = new URL(database.url);
    readerUrl.searchParams.set('application_name', 'es-wakeup-reader');
    reader = createPostgresEventStore({
      connectionString: readerUrl.toString(),
      pollIntervalMs: 300,
    });
    await writer.init();
  });
  afterAll(async () => {
    await reader?.close();
    await writer?.close();
    await database?.drop();
  });

  it('wakes a subscriber of another store through LISTEN/NOTIFY, long before its next poll', async () => {
    // given a subscriber in another store that polls only once a minute, idle after catching up
    const listener = createPostgresEventStore({
      connectionString: database.url,
      pollIntervalMs: 60_000,
    });
    const prefix = uniqueName('notified-');
    const subscription = listener.subscribeToAll({ filter: { streamPrefixes: [prefix] } });
    const feed = subscriptionReader(subscription);
    try {
      expect(await feed.nothingFor(500)).toBeUndefined();

      // when another store appends
      await writer.append(`${prefix}1`, events(1), { expectedVersion: 'no_stream' });

      // then the event arrives within seconds: only the notification can have woken it
      expect((await feed.take(1, 5_000))[0]!.streamId).toBe(`${prefix}1`);
    } finally {
      await subscription.close();
      await listener.close();
    }
  });

  it('delivers an append that sent no NOTIFY, by polling', async () => {
    // given a subscriber in another store (no in-process wake-up reaches it)
    const prefix = uniqueName('silent-');
    const subscription = reader.subscribeToAll({ filter: { streamPrefixes: [prefix] } });
    const feed = subscriptionReader(subscription);
    try {
      // when events are committed through a transaction of our own, without notifying
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      await client.query('BEGIN');
      await writer.appendWithin(client, `${prefix}1`, events(2), { expectedVersion: 'no_stream' });
      await client.query('COMMIT');
      await client.end();

      // then the subscriber still receives them
      expect((await feed.take(2, 5_000)).map((e) => e.streamVersion)).toEqual([0n, 1n]);
    } finally {
      await subscription.close();
    }
  });

  it('keeps delivering after its connections are killed', async () => {
    // given a live subscriber that has received one event
    const prefix = uniqueName('killed-');
    const subscription = reader.subscribeToAll({ filter: { streamPrefixes: [prefix] } });
    const feed = subscriptionReader(subscription);
    try {
      await writer.append(`${prefix}1`, events(1), { expectedVersion: 'no_stream' });
      await feed.take(1);

      // when the server terminates every connection of the reader (its LISTEN included)
      const admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      const killed = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'es-wakeup-reader'`,
      );
      await admin.end();
      expect(killed.rowCount).toBeGreaterThan(0);

      // then events appended afterwards still arrive, once each
      await writer.append(`${prefix}1`, events(2), { expectedVersion: 0n });
      expect((await feed.take(2, 10_000)).map((e) => e.streamVersion)).toEqual([1n, 2n]);
      expect(await feed.nothingFor(500)).toBeUndefined();
    } finally {
      await subscription.close();
    }
  });
});
