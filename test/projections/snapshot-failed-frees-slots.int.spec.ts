import { getSnapshot, listSlots, startSnapshot, type Projection } from '#projections';
import { projectionFixture, type Fixture } from './support/projection-fixture.js';

// README "Known limits": at most SNAPSHOT_LIMIT snapshots are kept, building or ready, since each is a
// full copy of the read models; a failed one does not count, because its slots are dropped. Only
// its building slots were: a slot of the same snapshot that had already frozen (another projection
// that reached the bound first) stayed, a copy of its read model that nothing counted, listed or
// dropped, so failed snapshots filled the disk past the limit.
describe('a snapshot that fails after some of its slots froze', () => {
  let f: Fixture;
  const table = (name: string): Projection => ({
    name,
    version: 1,
    handles: new Set(['Fine', 'Poison']),
    tables: ['seen'],
    async createTables(sql, schema) {
      await sql.query(`CREATE TABLE IF NOT EXISTS ${schema}.seen (event_id uuid PRIMARY KEY)`);
    },
    async apply(batch, { sql, schema }) {
      for (const event of batch)
        await sql.query(`INSERT INTO ${schema}.seen VALUES ($1) ON CONFLICT DO NOTHING`, [
          event.eventId,
        ]);
    },
  });
  const steady = table('steady');
  const brittle: Projection = {
    ...table('brittle'),
    // A snapshot's slot of this one fails on the poison event, once the other slot has frozen (as an
    // index build that runs out of disk fails after a smaller read model's has committed).
    async apply(batch, { sql, schema }) {
      const live = (await listSlots(sql, ['live'])).some((s) => s.schema_name === schema);
      if (!live && batch.some((event) => event.type === 'Poison')) {
        for (;;) {
          const frozen = await listSlots(sql, ['snapshot']);
          if (frozen.some((s) => s.projection === 'steady')) break;
          await sql.query('SELECT pg_sleep(0.02)');
        }
        throw new Error('could not extend file: No space left on device');
      }
      await table('brittle').apply(batch, { sql, schema });
    },
  };

  beforeAll(async () => {
    f = await projectionFixture('proj_snapshot_failed_frees', { projections: [steady, brittle] });
    await f.append('thing-1', 'Fine', {});
    await f.append('thing-2', 'Poison', {});
    await f.settle();
  });
  afterAll(() => f.close());

  it('retires every slot of the failed snapshot, the frozen ones too', async () => {
    // given a snapshot of both projections, one of which fails after the other froze
    const { snapshotId } = await startSnapshot(f.pool, f.store, [steady, brittle], {
      toPosition: await f.store.headPosition(),
    });

    // when the runner builds it
    for (let i = 0; i < 50; i++) {
      await f.runner.runOnce().catch(() => undefined);
      if ((await getSnapshot(f.pool, snapshotId))!.state !== 'building') break;
    }

    // then it failed, and none of its slots is kept beside the live ones: no copy outlives it
    expect(await getSnapshot(f.pool, snapshotId)).toMatchObject({ state: 'failed' });
    const kept = await f.pool.query<{ projection: string; state: string }>(
      `SELECT projection, state FROM projection_checkpoints WHERE snapshot_id = $1 ORDER BY projection`,
      [snapshotId],
    );
    expect(kept.rows).toEqual([
      { projection: 'brittle', state: 'retired' },
      { projection: 'steady', state: 'retired' },
    ]);
  });
});
