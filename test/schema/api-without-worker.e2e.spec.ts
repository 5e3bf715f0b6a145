import pg from 'pg';
import request from 'supertest';
import { prepareReadModels, projections } from '#projections';
import { startTestApp, type TestApp } from '../platform/test-app.js';

/**
 * An API that runs no projections (RUN_WORKER=false) still finds the read models' tables and a first
 * live slot on a new database: reads answer empty instead of failing or waiting for a worker, as they
 * did when a TypeORM migration made them. A version change is the worker's to rebuild, not the API's.
 */
describe('an API without a worker', () => {
  let t: TestApp;
  let pool: pg.Pool;
  beforeAll(async () => {
    t = await startTestApp('schema_api_only', { worker: false });
    pool = new pg.Pool({ connectionString: t.databaseUrl, max: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await t?.close();
  });

  it('answers reads on a new database from empty live slots', async () => {
    const { rows } = await pool.query<{ projection: string }>(
      `SELECT projection FROM projection_checkpoints WHERE state = 'live' ORDER BY projection`,
    );
    expect(rows.map((r) => r.projection)).toEqual(projections.map((p) => p.name).sort());
    const answer = await request(t.server)
      .get('/leaderboards/units?metric=citizensAssisted')
      .set('Authorization', await t.bearer({ sub: 'v-1', role: 'viewer' }));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ position: 0 });
  });

  it('shows in /health the projections another process runs, with what waits for them', async () => {
    // given a command recorded, which no process projects (there is no worker)
    const created = await request(t.server)
      .post('/units')
      .set('Authorization', await t.bearer({ sub: 'op-1', role: 'operator' }))
      .send({ id: 'w-health', name: 'Phường Bến Nghé', kind: 'ward' });
    expect(created.status).toBe(201);

    // when /health is asked
    const health = await request(t.server).get('/health');

    // then it reports the projections from their checkpoints, the command's event still waiting
    expect(health.status).toBe(200);
    const component = health.body.components.projections;
    expect(component).toMatchObject({
      healthy: true,
      projectedBy: 'another process (RUN_WORKER=false)',
    });
    const live = component.projections.filter((p: { state: string }) => p.state === 'live');
    expect(live.map((p: { name: string }) => p.name).sort()).toEqual(
      projections.map((p) => p.name).sort(),
    );
    expect(live.find((p: { name: string }) => p.name === 'volunteer-activity').lag).toBeGreaterThan(
      0,
    );
  });

  it('leaves the rebuild of a new projection version to the worker', async () => {
    // given code with a newer version of one projection than its live slot
    const [first, ...others] = projections;
    const newer = [{ ...first!, version: first!.version + 1 }, ...others];
    const building = async () =>
      (await pool.query(`SELECT 1 FROM projection_checkpoints WHERE state = 'building'`)).rowCount;
    // when the API prepares, nothing is rebuilt; when the worker does, the new version is
    await prepareReadModels(pool, newer, { upgrade: false });
    expect(await building()).toBe(0);
    await prepareReadModels(pool, newer);
    expect(await building()).toBe(1);
  });
});
