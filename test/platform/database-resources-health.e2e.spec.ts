import pg from 'pg';
import request from 'supertest';
import { startTestApp, type TestApp } from './test-app.js';

/**
 * Found by probing with a full disk: PostgreSQL refused every write (53100 disk_full) and every
 * command answered 503, while /health said `ok`, its `SELECT 1` answered as ever. It now names the
 * refusal as the optional `databaseResources` component: degraded, not unavailable, since reads go on
 * and every instance shares the database (a probe that took this one out would take them all).
 */
describe('/health while the database refuses writes for want of a resource', () => {
  let t: TestApp;
  let admin: pg.Client;
  beforeAll(async () => {
    t = await startTestApp('health_db_resources', { worker: false });
    admin = new pg.Client({ connectionString: t.databaseUrl });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await t?.close();
  });

  const operator = () => t.bearer({ sub: 'op', role: 'operator' });
  const registerUnit = async (id: string) =>
    request(t.server)
      .post('/units')
      .set('Authorization', await operator())
      .send({ id, name: 'Đoàn phường 5', kind: 'ward' });

  it('says degraded, naming the refusal, while commands answer 503', async () => {
    // given a healthy server, and then a database that refuses to store events as a full disk does
    expect((await request(t.server).get('/health')).body.components.databaseResources).toEqual({
      healthy: true,
    });
    await admin.query(`
      CREATE FUNCTION refuse_as_full_disk() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; END $$;
      CREATE TRIGGER full_disk BEFORE INSERT ON events FOR EACH STATEMENT EXECUTE FUNCTION refuse_as_full_disk();`);

    // when a command is sent
    const refused = await registerUnit('dr-ward');
    expect(refused.status).toBe(503);

    // then /health is 200 degraded, the database reachable, and the refusal named
    const health = await request(t.server).get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'degraded', database: { reachable: true } });
    expect(health.body.components.databaseResources).toEqual({
      healthy: false,
      error: expect.stringMatching(
        /^PostgreSQL refused an operation for want of a resource \d+ s ago \(could not extend file: No space left on device\): commands answer 503/,
      ),
    });

    // and once there is room again, the command is recorded
    await admin.query('DROP TRIGGER full_disk ON events');
    expect((await registerUnit('dr-ward')).status).toBe(201);
  });
});
