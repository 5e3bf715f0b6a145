import pg from 'pg';
import request from 'supertest';
import { signToken } from '#platform';
import { createTestDatabase } from '../harness/database.js';
import { buildApi, startApiProcess, type ApiProcess } from './support/api-process.js';
import { AssistanceLoad } from './support/assistance-load.js';

const SECRET = 'api-killed-mid-command-test-secret';
const CLIENTS = 4;
const KILLS = 3;
const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * The API process killed -9 while clients record assistance (each request with its own
 * Idempotency-Key, resent with it when no 201 came): a request in flight dies with the process,
 * before, during or after its append. Whatever was answered 201 must be in the log once, and the
 * resend after the restart must answer it again, the same, appending nothing; a request that lost
 * its answer is recorded once by its resend. database-outage.e2e.spec.ts takes the database away
 * under the same load; this takes the process.
 */
describe('the API killed -9 mid-command and started again', () => {
  let api: ApiProcess;
  let pool: pg.Pool;
  let drop: () => Promise<void>;
  let databaseUrl: string;

  beforeAll(async () => {
    buildApi();
    const db = await createTestDatabase('api_killed');
    drop = db.drop;
    databaseUrl = db.url;
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    api = await startApiProcess(databaseUrl, SECRET);
  }, 300_000);

  afterAll(async () => {
    await api?.stop();
    await pool?.end();
    await drop?.();
  });

  it('keeps every 201 once, answers its resend the same and appends nothing for it', async () => {
    // given a unit, members with an open shift each, and clients recording assistance on them
    const operator = `Bearer ${await signToken({ sub: 'op', role: 'operator' }, SECRET)}`;
    const post = async (path: string, body: object) => {
      const res = await request(api.url).post(path).set('Authorization', operator).send(body);
      if (res.status !== 201) throw new Error(`setup ${path}: ${res.status} ${res.text}`);
    };
    await post('/units', { id: 'ward', name: 'Đoàn phường Tân Định', kind: 'ward' });
    const shifts: string[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      await post('/members', { id: `m${i}`, unitId: 'ward', displayName: `Đoàn viên ${i}` });
      const startedAt = new Date(Date.now() - 3 * 3_600_000).toISOString();
      await post('/shifts', { id: `s${i}`, memberId: `m${i}`, location: 'TTHCC', startedAt });
      shifts.push(`s${i}`);
    }
    const load = new AssistanceLoad(api.url, operator, shifts);

    // when the API is killed -9 three times under that load, and started again each time
    try {
      for (let kill = 0; kill < KILLS; kill++) {
        await pause(700 + Math.floor(Math.random() * 800));
        api.child.kill('SIGKILL');
        await api.stop();
        api = await startApiProcess(databaseUrl, SECRET);
        load.url = api.url;
      }
      await pause(500);
    } finally {
      await load.stop();
    }
    await load.resendUnanswered();
    const acknowledged = new Map(load.acknowledged);

    // then the clients' connections were cut, and each request has one event, where its 201 said
    expect(load.count('network')).toBeGreaterThan(0);
    expect(load.unanswered.size).toBe(0);
    const { rows } = await pool.query<{
      streamId: string;
      version: string;
      position: string;
    }>(
      `SELECT stream_id AS "streamId", version::text, global_position::text AS position
         FROM events WHERE type = 'CitizenAssisted'`,
    );
    const stored = new Map(rows.map((r) => [`${r.streamId}@${r.version}`, r.position]));
    const misplaced = [...acknowledged].filter(
      ([, answer]) =>
        stored.get(`${answer.streamId}@${answer.version}`) !== String(answer.position),
    );
    expect(misplaced).toEqual([]);
    expect(rows.length).toBe(acknowledged.size);

    // and resending every acknowledged request after the restarts answers the same, appending nothing
    const count = async () =>
      Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n);
    const before = await count();
    const differing: string[] = [];
    const resend = async ([key, answer]: [string, object]) => {
      const { shiftId, body } = load.requests.get(key)!;
      const res = await request(api.url)
        .post(`/shifts/${shiftId}/assistance`)
        .set('Authorization', operator)
        .set('Idempotency-Key', key)
        .send(body);
      if (res.status !== 201 || JSON.stringify(res.body) !== JSON.stringify(answer))
        differing.push(`${key}: ${res.status} ${JSON.stringify(res.body)}`);
    };
    const queue = [...acknowledged];
    await Promise.all(
      shifts.map(async () => {
        for (let next = queue.shift(); next; next = queue.shift()) await resend(next);
      }),
    );
    expect(differing).toEqual([]);
    expect(await count()).toBe(before);
  }, 120_000);
});
