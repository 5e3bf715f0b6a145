import pg from 'pg';
import {
  createPostgresEventStore,
  DuplicateEventId,
  eventStoreSchema,
  lockStreamStatement,
  sharedStreamLock,
  WrongExpectedVersion,
  type PostgresEventStore,
} from '#event-store';
import { events, newEvent, uniqueName } from '../../libs/event-store/src/testing/event-fixtures.js';
import { createTestDatabase } from '../harness/database.js';

/** Rules of the PostgreSQL adapter beyond the shared contract. */
describe('PostgreSQL appends', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: PostgresEventStore;
  beforeAll(async () => {
    database = await createTestDatabase('es_append');
    store = createPostgresEventStore({ connectionString: database.url });
    await store.init();
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it('refuses an event id already used in another stream (ids are unique in the whole store)', async () => {
    const event = newEvent('Tested');
    await store.append(uniqueName('one-'), [event], { expectedVersion: 'no_stream' });
    const other = uniqueName('two-');
    await expect(store.append(other, [event], { expectedVersion: 'any' })).rejects.toBeInstanceOf(
      DuplicateEventId,
    );
    expect(await store.readStream(other)).toEqual([]);
  });

  it('refuses a batch repeating an id, and one that repeats only part of an earlier append', async () => {
    const stream = uniqueName('part-');
    const [a, b] = events(2);
    await expect(store.append(stream, [a!, a!], { expectedVersion: 'any' })).rejects.toBeInstanceOf(
      DuplicateEventId,
    );
    await store.append(stream, [a!], { expectedVersion: 'no_stream' });
    await expect(store.append(stream, [a!, b!], { expectedVersion: 'any' })).rejects.toBeInstanceOf(
      DuplicateEventId,
    );
    expect(await store.readStream(stream)).toHaveLength(1);
  });

  it('writes a large append (beyond the multi-row statement) whole, in order, with its chain', async () => {
    const stream = uniqueName('large-');
    const result = await store.append(stream, events(1_500), { expectedVersion: 'no_stream' });
    expect(result.nextExpectedVersion).toBe(1_499n);
    const stored = await store.readStream(stream);
    expect(stored.map((e) => e.data.n)).toEqual(Array.from({ length: 1_500 }, (_, i) => i));
    expect(stored.at(-1)!.globalPosition).toBe(result.position);
    await expect(store.verifyStream(stream)).resolves.toMatchObject({ valid: true, events: 1_500 });
  });

  it('never builds on a head that is no longer stored, even one it remembers', async () => {
    // given a stream whose head this store has cached, then removed behind its back
    const stream = uniqueName('gone-');
    await store.append(stream, events(3), { expectedVersion: 'no_stream' });
    await store.pool.query('DELETE FROM events WHERE stream_id = $1', [stream]);

    // then the remembered version is refused, and `any` starts the stream again at version 0
    await expect(store.append(stream, events(1), { expectedVersion: 2n })).rejects.toMatchObject({
      name: 'WrongExpectedVersion',
      actual: 'no_stream',
    });
    const restarted = await store.append(stream, events(1), { expectedVersion: 'any' });
    expect(restarted.nextExpectedVersion).toBe(0n);
    await expect(store.verifyStream(stream)).resolves.toMatchObject({ valid: true, events: 1 });
  });

  it('refuses an append of more than 2^20 events, whose positions would not fit its slot', async () => {
    const tooMany = new Array<ReturnType<typeof newEvent>>(2 ** 20 + 1).fill(newEvent('Tested'));
    await expect(
      store.append(uniqueName('big-'), tooMany, { expectedVersion: 'any' }),
    ).rejects.toBeInstanceOf(RangeError);
  });

  it('runs migrations once even when several processes start together', async () => {
    const others = Array.from({ length: 4 }, () =>
      createPostgresEventStore({ connectionString: database.url }),
    );
    await Promise.all(others.map((other) => other.init()));
    await Promise.all(others.map((other) => other.close()));
    const applied = await store.pool.query(
      `SELECT version FROM schema_migrations WHERE component = 'event-store' ORDER BY version`,
    );
    expect(applied.rows.map((row) => row.version)).toEqual(
      eventStoreSchema.migrations.map((m) => m.version),
    );
  });

  it('serves concurrent appends with `any` to one stream without refusing any', async () => {
    const stream = uniqueName('any-');
    const results = await Promise.all(
      Array.from({ length: 20 }, () => store.append(stream, events(1), { expectedVersion: 'any' })),
    );
    expect(results.map((r) => r.nextExpectedVersion).sort((x, y) => Number(x - y))).toEqual(
      Array.from({ length: 20 }, (_, i) => BigInt(i)),
    );
    await expect(store.verifyStream(stream)).resolves.toMatchObject({ valid: true, events: 20 });
  });

  it("makes an append wait for a writer holding its stream's lock, then refuse the version taken", async () => {
    // given a stream at version 0, and a writer that took its lock and is deciding what to append
    const stream = uniqueName('locked-');
    await store.append(stream, events(1), { expectedVersion: 'no_stream' });
    const pool = new pg.Pool({ connectionString: database.url });
    const holder = await pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(lockStreamStatement(stream));

      // when another writer appends on the same version meanwhile
      const overtaking = store.append(stream, events(1), { expectedVersion: 0n });
      overtaking.catch(() => undefined);

      // then its statement waits for the lock, while appends to other streams go through
      await untilAdvisoryLockAwaited(pool);
      await store.append(uniqueName('free-'), events(1), { expectedVersion: 'no_stream' });
      // and once the holder has appended and committed, the waiting append is refused, not interleaved
      const held = await store.appendWithin(holder, stream, events(1), { expectedVersion: 0n });
      await holder.query('COMMIT');
      await expect(overtaking).rejects.toBeInstanceOf(WrongExpectedVersion);
      expect(held.nextExpectedVersion).toBe(1n);
      await expect(store.verifyStream(stream)).resolves.toMatchObject({ valid: true, events: 2 });
    } finally {
      holder.release();
      await pool.end();
    }
  });

  it('makes an append wait for a writer reading its stream under the shared lock, and places it after', async () => {
    // given a writer that holds the stream's lock shared while it decides on the stream's state
    const stream = uniqueName('read-');
    const pool = new pg.Pool({ connectionString: database.url });
    const reader = await pool.connect();
    try {
      await reader.query('BEGIN');
      await reader.query(`SELECT ${sharedStreamLock('$1')}`, [stream]);

      // when an append to that stream is sent meanwhile (say, the member's erasure)
      const waiting = store.append(stream, events(1), { expectedVersion: 'any' });
      waiting.catch(() => undefined);

      // then it waits; and the reader's own append, whose position is drawn only now, comes first
      await untilAdvisoryLockAwaited(pool);
      const own = await store.appendWithin(reader, uniqueName('own-'), events(1), {
        expectedVersion: 'no_stream',
      });
      await reader.query('COMMIT');
      expect((await waiting).position).toBeGreaterThan(own.position);
    } finally {
      reader.release();
      await pool.end();
    }
  });
});

/** Resolves once a session of the database waits for an advisory lock; fails after 10 s of none. */
async function untilAdvisoryLockAwaited(pool: pg.Pool): Promise<void> {
  for (const started = Date.now(); Date.now() - started < 10_000;) {
    const { rows } = await pool.query(
      `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    if (rows.length) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('no append waited for the stream lock');
}
