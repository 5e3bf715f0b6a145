import pg from 'pg';
import {
  createPostgresEventStore,
  WrongExpectedVersion,
  type PostgresEventStore,
  type RecordedEvent,
} from '#event-store';
import {
  events,
  newEvent,
  subscriptionReader,
  uniqueName,
} from '../../libs/event-store/src/testing/event-fixtures.js';
import { createTestDatabase } from '../harness/database.js';

/** Issue 2 point 8: the feed under concurrent writers, and a transaction that commits late. */
describe('the PostgreSQL global feed under concurrency', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let writer: PostgresEventStore;
  let reader: PostgresEventStore;
  beforeAll(async () => {
    database = await createTestDatabase('es_integrity');
    writer = createPostgresEventStore({ connectionString: database.url, maxConnections: 34 });
    // A second store, as another process would be: it learns of appends only through LISTEN/NOTIFY or polling.
    reader = createPostgresEventStore({ connectionString: database.url, maxConnections: 4 });
    await writer.init();
    await reader.init();
  });
  afterAll(async () => {
    await reader?.close();
    await writer?.close();
    await database?.drop();
  });

  it('32 writers on 8 hot streams for 10 s: contiguous versions, nothing lost or doubled, every event delivered once in order', async () => {
    // given a subscriber already running
    const prefix = uniqueName('hot-');
    const subscription = reader.subscribeToAll({
      filter: { streamPrefixes: [prefix] },
      batchSize: 200,
    });
    const received: RecordedEvent[] = [];
    const consuming = (async () => {
      for await (const event of subscription) received.push(event);
    })();

    // when 32 writers append to 8 streams for 10 seconds, retrying on version conflicts
    const acknowledged = new Map<string, bigint>();
    let conflicts = 0;
    const until = Date.now() + 10_000;
    await Promise.all(
      Array.from({ length: 32 }, async (_, w) => {
        const stream = `${prefix}${w % 8}`;
        let expected: bigint | 'no_stream' = 'no_stream';
        while (Date.now() < until) {
          const batch = events(1 + (w % 3), `Written${w}`);
          try {
            const result = await writer.append(stream, batch, { expectedVersion: expected });
            expected = result.nextExpectedVersion;
            batch.forEach((event) => acknowledged.set(event.eventId, result.position));
          } catch (error) {
            if (!(error instanceof WrongExpectedVersion)) throw error;
            conflicts += 1;
            expected = error.actual;
          }
        }
      }),
    );

    // then every stream's versions are contiguous from 0, and every acknowledged event is stored once
    const stored: RecordedEvent[] = [];
    for (let s = 0; s < 8; s++) {
      const stream = await writer.readStream(`${prefix}${s}`);
      expect(stream.map((e) => e.streamVersion)).toEqual(stream.map((_, i) => BigInt(i)));
      await expect(writer.verifyStream(`${prefix}${s}`)).resolves.toMatchObject({
        valid: true,
        events: stream.length,
      });
      stored.push(...stream);
    }
    expect(new Set(stored.map((e) => e.eventId)).size).toBe(stored.length);
    expect(stored.length).toBe(acknowledged.size);
    expect(stored.every((e) => acknowledged.has(e.eventId))).toBe(true);
    expect(conflicts).toBeGreaterThan(0);

    // and the subscriber receives each of them exactly once, in feed order
    const deadline = Date.now() + 20_000;
    while (received.length < stored.length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    await subscription.close();
    await consuming;
    expect(received.length).toBe(stored.length);
    expect(new Set(received.map((e) => e.eventId))).toEqual(new Set(stored.map((e) => e.eventId)));
    for (let i = 1; i < received.length; i++)
      expect(received[i]!.globalPosition > received[i - 1]!.globalPosition).toBe(true);
    const feed = await writer.readAll({ filter: { streamPrefixes: [prefix] } });
    expect(feed.map((e) => e.eventId)).toEqual(received.map((e) => e.eventId));
  }, 60_000);

  it('delivers, in its place, an event whose transaction took its position early and commits last', async () => {
    // given a subscriber, and a transaction held open after appending an event
    const prefix = uniqueName('late-');
    const subscription = reader.subscribeToAll({ filter: { streamPrefixes: [prefix] } });
    const feed = subscriptionReader(subscription);
    const held = new pg.Client({ connectionString: database.url });
    await held.connect();
    try {
      await held.query('BEGIN');
      const late = newEvent('CommittedLate');
      const heldResult = await writer.appendWithin(held, `${prefix}held`, [late], {
        expectedVersion: 'no_stream',
      });

      // when later appends commit while it is still open
      const later = events(3, 'CommittedEarly');
      const laterResult = await writer.append(`${prefix}other`, later, {
        expectedVersion: 'no_stream',
      });
      expect(laterResult.position).toBeGreaterThan(heldResult.position);
      expect(await writer.readStream(`${prefix}other`)).toHaveLength(3);

      // then the feed holds them back rather than letting a reader pass the open transaction's position
      expect(await feed.nothingFor(1_200)).toBeUndefined();
      expect(await writer.readAll({ filter: { streamPrefixes: [prefix] } })).toEqual([]);

      // and once it commits, the late event is delivered first, then the others, each once
      await held.query('COMMIT');
      writer.notifyAppended();
      const delivered = await feed.take(4);
      expect(delivered.map((e) => e.eventId)).toEqual([
        late.eventId,
        ...later.map((e) => e.eventId),
      ]);
      expect(await feed.nothingFor(700)).toBeUndefined();
    } finally {
      await held.end();
      await subscription.close();
    }
  }, 30_000);
});
