import type { EventEmitter } from 'node:events';
import { getJob, startRebuild, startSnapshot, getSnapshot, type Projection } from '#projections';
import { projectionFixture, type Fixture } from './support/projection-fixture.js';

// A rebuild or a snapshot fills its slots batch by batch, each batch committed with its checkpoint,
// so a connection the database drops halfway loses nothing the next pass cannot redo. It failed the
// job instead: a database blip of a tenth of a second (one connection terminated) left a rebuild to
// start again by hand, a snapshot `failed`, and a version upgrade on its old tables.
describe('a job whose database connection is lost halfway', () => {
  let f: Fixture;
  let liveSchema: string | undefined;
  const dropped = new Set<string>();
  // Each slot beside the live one loses its connection, for real, on its first batch.
  const flaky: Projection = {
    name: 'flaky',
    version: 1,
    handles: new Set(['Fine']),
    tables: ['seen'],
    async createTables(sql, schema) {
      await sql.query(`CREATE TABLE IF NOT EXISTS ${schema}.seen (event_id uuid PRIMARY KEY)`);
    },
    async apply(batch, { sql, schema }) {
      liveSchema ??= schema;
      if (schema !== liveSchema && !dropped.has(schema)) {
        dropped.add(schema);
        // the connection also says it was lost as an event, which the app's pool listens for (#platform)
        (sql as Partial<EventEmitter>).on?.('error', () => undefined);
        await sql.query('SELECT pg_terminate_backend(pg_backend_pid())');
      }
      for (const event of batch)
        await sql.query(`INSERT INTO ${schema}.seen VALUES ($1) ON CONFLICT DO NOTHING`, [
          event.eventId,
        ]);
    },
  };
  /** Runs the runner's passes, as its loop does after a failed one, until `done` says so. */
  const runUntil = async (done: () => Promise<boolean>) => {
    for (let i = 0; i < 50 && !(await done()); i++) await f.runner.runOnce().catch(() => undefined);
  };

  beforeAll(async () => {
    f = await projectionFixture('proj_rebuild_conn_lost', { projections: [flaky] });
    for (const id of ['thing-1', 'thing-2', 'thing-3']) await f.append(id, 'Fine', {});
    await f.settle();
  });
  afterAll(() => f.close());

  it('resumes a rebuild once the database answers again, and switches over', async () => {
    // given a rebuild whose first batch loses its connection
    const job = await startRebuild(f.pool, [flaky], { projection: 'flaky' }, 3);

    // when the runner goes on, as its loop does after a failed pass
    await runUntil(async () => (await getJob(f.pool, job))!.state !== 'running');

    // then the connection was lost, and the rebuild is done nonetheless, its slot live
    expect(dropped.size).toBe(1);
    expect(await getJob(f.pool, job)).toMatchObject({ state: 'done', processed: 3 });
    const status = await f.runner.status();
    expect(status.filter((slot) => slot.name === 'flaky')).toMatchObject([
      { state: 'live', jobId: job },
    ]);
  });

  it('resumes a snapshot once the database answers again, and it is ready', async () => {
    // given a snapshot whose first batch loses its connection
    const { snapshotId } = await startSnapshot(f.pool, f.store, [flaky], {
      toPosition: await f.store.headPosition(),
    });

    // when the runner goes on
    await runUntil(async () => (await getSnapshot(f.pool, snapshotId))!.state !== 'building');

    // then it is ready, not failed
    expect(dropped.size).toBe(2);
    expect(await getSnapshot(f.pool, snapshotId)).toMatchObject({ state: 'ready' });
  });
});
