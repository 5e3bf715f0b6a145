import { getJob, startRebuild, type Projection } from '#projections';
import { projectionFixture, type Fixture } from './support/projection-fixture.js';

// A live slot that fails on an event an older gate let in (a campaign zone PostgreSQL does not
// know) retries for ever; the rebuild of a version that reads the event differently heals it, so
// the failing live slot must still leave that rebuild its turns.
describe('a rebuild beside a live slot that fails', () => {
  let f: Fixture;
  let liveSchema: string | undefined;
  // The live code fails on a Poison event; the rebuilt slot stands for the newer code, which reads it.
  const fragile: Projection = {
    name: 'fragile',
    version: 1,
    handles: new Set(['Fine', 'Poison']),
    tables: ['seen'],
    async createTables(sql, schema) {
      await sql.query(`CREATE TABLE IF NOT EXISTS ${schema}.seen (event_id uuid PRIMARY KEY)`);
    },
    async apply(batch, { sql, schema }) {
      liveSchema ??= schema;
      if (schema === liveSchema && batch.some((event) => event.type === 'Poison'))
        throw new Error('time zone "VST" not recognized');
      for (const event of batch)
        await sql.query(`INSERT INTO ${schema}.seen VALUES ($1) ON CONFLICT DO NOTHING`, [
          event.eventId,
        ]);
    },
  };

  beforeAll(async () => {
    f = await projectionFixture('proj_rebuild_heals', { projections: [fragile] });
  });
  afterAll(() => f.close());

  it('lets the rebuild catch up and switch over, and the live slot then follows the log', async () => {
    // given a live slot stuck on a poison event
    await f.append('thing-1', 'Fine', {});
    await f.append('thing-2', 'Poison', {});
    await expect(f.runner.runOnce()).rejects.toThrow(/not recognized/);

    // when a rebuild is started and the runner goes on
    const job = await startRebuild(f.pool, [fragile], { projection: 'fragile' }, 2);
    for (let i = 0; i < 50 && (await getJob(f.pool, job))!.state === 'running'; i++)
      await f.runner.runOnce().catch(() => undefined);

    // then the rebuild is done, its slot live, and a later event is projected without a failure
    expect(await getJob(f.pool, job)).toMatchObject({ state: 'done', processed: 2 });
    await f.append('thing-3', 'Fine', {});
    await f.settle();
    const status = await f.runner.status();
    expect(status.filter((slot) => slot.name === 'fragile')).toMatchObject([{ state: 'live' }]);
  });
});
