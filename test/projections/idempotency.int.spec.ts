import { projections } from '#projections';
import { activityWaves, appendWaves } from '../../libs/projections/src/demo/activity-generator.js';
import { dumpLive } from './support/dump.js';
import { projectionFixture, type Fixture } from './support/projection-fixture.js';

describe('projections applied twice', () => {
  let f: Fixture;

  beforeAll(async () => {
    f = await projectionFixture('proj_idem');
    const appended = await appendWaves(
      f.store,
      activityWaves({
        targetEvents: 2_500,
        members: 40,
        campaigns: 2,
        concurrentShifts: 25,
        seed: 9,
      }),
    );
    f.track(appended.lastPosition);
    await f.settle();
  });
  afterAll(() => f.close());

  it('change nothing the second time: a replayed stretch of the log is guarded by stream versions and keys', async () => {
    const events = await f.store.readAll({ maxCount: 100_000 });
    const live = await dumpLive(f.pool);
    const replayed: Record<string, string[]> = {};

    for (const projection of projections) {
      const schema = `idem_${projection.name.replace(/-/g, '_')}`;
      await f.pool.query(`CREATE SCHEMA ${schema}`);
      await projection.createTables(f.pool, schema);
      const handled = events.filter((e) => projection.handles.has(e.type));
      // the second stretch overlaps the first by half: as if a batch were applied again without its checkpoint
      for (const stretch of [handled.slice(0, 1_400), handled.slice(700)]) {
        const client = await f.pool.connect();
        try {
          await client.query('BEGIN');
          await projection.apply(stretch, { sql: client, schema });
          await client.query('COMMIT');
        } finally {
          client.release();
        }
      }
      for (const table of projection.tables) {
        const { rows } = await f.pool.query<{ row: string }>(
          `SELECT to_jsonb(t)::text AS row FROM ${schema}.${table} t ORDER BY 1`,
        );
        replayed[`${projection.name}.${table}`] = rows.map((r) => r.row);
      }
    }

    expect(events.length).toBeGreaterThan(1_400);
    expect(replayed).toEqual(live);
  });
});
