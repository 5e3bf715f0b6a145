import { randomUUID } from 'node:crypto';
import { createPostgresEventStore, type EventStore } from '#event-store';
import { ProjectionRunner, ident, liveSlot, type Projection } from '#projections';
import { projectionFixture, type Fixture } from './support/projection-fixture.js';

/**
 * How a started runner follows the live log (projection-runner.ts): woken by the store's appends, not
 * by its poll. Two small projections of this suite's own record the ids of the events they applied (a
 * primary key: an event applied twice would fail the batch).
 */
describe('a started runner following the live log', () => {
  let f: Fixture;
  const pings = (name: string) =>
    ({
      name,
      version: 1,
      handles: new Set(['Pinged']),
      tables: ['pings'],
      async createTables(sql, schema) {
        await sql.query(`CREATE TABLE ${ident(schema)}.pings (event_id text PRIMARY KEY)`);
      },
      async apply(batch, tx) {
        await tx.sql.query(`INSERT INTO ${ident(tx.schema)}.pings SELECT unnest($1::text[])`, [
          batch.map((event) => event.eventId),
        ]);
      },
    }) satisfies Projection;
  const one = pings('pings-one');
  const two = pings('pings-two');

  beforeAll(async () => {
    f = await projectionFixture('proj_live_wake', { projections: [one, two] });
  });
  afterAll(() => f.close());

  const ping = async (store: EventStore, data: Record<string, unknown> = {}) => {
    const at = new Date().toISOString();
    const metadata = {
      occurredAt: at,
      recordedAt: at,
      recordedBy: 'live-following',
      commandId: randomUUID(),
      correlationId: randomUUID(),
      causationId: null,
    };
    const event = { eventId: randomUUID(), type: 'Pinged', schemaVersion: 1, data, metadata };
    const result = await store.append(`ping-${randomUUID()}`, [event], { expectedVersion: 'any' });
    f.track(result.position);
    return result.position;
  };

  /** Waits until the projection's live checkpoint has passed `position`; fails after `withinMs`. */
  async function passed(projection: string, position: bigint, withinMs = 20_000): Promise<void> {
    const deadline = Date.now() + withinMs;
    while (BigInt((await liveSlot(f.pool, projection))?.position ?? 0) < position) {
      if (Date.now() > deadline) throw new Error(`${projection} did not pass ${position}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  const applied = async (projection: string) => {
    const slot = (await liveSlot(f.pool, projection))!;
    const { rows } = await f.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${ident(slot.schema_name)}.pings`,
    );
    return Number(rows[0]!.n);
  };

  // The runner's own poll is a minute: only the news of an append can move it within the test.
  it.each([['this process'], ['another process (LISTEN/NOTIFY)']])(
    'given a runner idle between polls, when %s appends, then every live projection applies it without waiting for the poll',
    async (who) => {
      const writer = () =>
        who === 'this process' ? f.store : createPostgresEventStore({ connectionString: f.url });
      const runner = new ProjectionRunner(f.pool, f.store, [one, two], { idleMs: 60_000 });
      runner.start();
      const store = writer();
      try {
        await Promise.all([passed(one.name, f.lastPosition), passed(two.name, f.lastPosition)]);
        const before = await applied(two.name);
        await new Promise((resolve) => setTimeout(resolve, 300)); // asleep by now, for a minute

        const position = await ping(store);

        await Promise.all([passed(one.name, position, 15_000), passed(two.name, position, 15_000)]);
        expect(await applied(two.name)).toBe(before + 1);
      } finally {
        await runner.stop();
        if (store !== f.store) await store.close();
      }
    },
  );
});
