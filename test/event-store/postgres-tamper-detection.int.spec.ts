import pg from 'pg';
import { createPostgresEventStore, type PostgresEventStore } from '#event-store';
import { events, uniqueName } from '../../libs/event-store/src/testing/event-fixtures.js';
import { createTestDatabase } from '../harness/database.js';

/** Issue 2 point 8: an auditor detects any event changed in SQL after the fact. */
describe('verifying a PostgreSQL stream after tampering', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: PostgresEventStore;
  let sql: pg.Client;
  beforeAll(async () => {
    database = await createTestDatabase('es_tamper');
    store = createPostgresEventStore({ connectionString: database.url });
    await store.init();
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
  });
  afterAll(async () => {
    await sql?.end();
    await store?.close();
    await database?.drop();
  });

  const alterations = [
    [
      'a data field',
      `UPDATE events SET data = jsonb_set(data, '{n}', '1000') WHERE stream_id = $1 AND version = $2`,
    ],
    [
      'a nested data value',
      `UPDATE events SET data = jsonb_set(data, '{nested,a,1}', '"y"') WHERE stream_id = $1 AND version = $2`,
    ],
    [
      'an added data field',
      `UPDATE events SET data = data || '{"extra": true}' WHERE stream_id = $1 AND version = $2`,
    ],
    [
      'who recorded it',
      `UPDATE events SET metadata = jsonb_set(metadata, '{recordedBy}', '"someone-else"') WHERE stream_id = $1 AND version = $2`,
    ],
    [
      'when it happened',
      `UPDATE events SET metadata = jsonb_set(metadata, '{occurredAt}', '"2025-08-10T07:30:00+07:00"') WHERE stream_id = $1 AND version = $2`,
    ],
    ['its type', `UPDATE events SET type = 'Other' WHERE stream_id = $1 AND version = $2`],
  ] as const;

  for (const [what, update] of alterations) {
    it.each([0n, 2n, 4n])(
      `fails at the version whose ${what} was changed (version %s)`,
      async (version) => {
        // given a valid stream of 5 events
        const stream = uniqueName('audit-');
        await store.append(stream, events(5), { expectedVersion: 'no_stream' });
        await expect(store.verifyStream(stream)).resolves.toMatchObject({ valid: true, events: 5 });

        // when one stored event is changed with SQL
        const changed = await sql.query(update, [stream, version.toString()]);
        expect(changed.rowCount).toBe(1);

        // then verification fails at exactly that version
        await expect(store.verifyStream(stream)).resolves.toMatchObject({
          valid: false,
          events: 5,
          firstInvalidVersion: version,
        });
      },
    );
  }

  it('fails where a hash was rewritten to match altered data, since the next link breaks', async () => {
    const stream = uniqueName('audit-');
    await store.append(stream, events(3), { expectedVersion: 'no_stream' });
    await sql.query(
      `UPDATE events SET hash = repeat('0', 64) WHERE stream_id = $1 AND version = 1`,
      [stream],
    );
    await expect(store.verifyStream(stream)).resolves.toMatchObject({
      valid: false,
      firstInvalidVersion: 1n,
    });
  });
});
