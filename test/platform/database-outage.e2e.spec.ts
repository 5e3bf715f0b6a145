import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { signToken, startEmbeddedPostgres, type EmbeddedPostgres } from '#platform';
import {
  buildApi,
  isRequestLine,
  startApiProcess,
  type ApiProcess,
} from './support/api-process.js';
import { AssistanceLoad } from './support/assistance-load.js';
import { LiveListener } from './support/live-listener.js';

const SECRET = 'outage-test-secret-of-sufficient-length';
const CLIENTS = 16;
const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function until(
  what: string,
  check: () => Promise<boolean> | boolean,
  ms: number,
  details: () => string = () => '',
) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what} ${details()}`);
    await pause(50);
  }
}

/**
 * The database going away under load (issue 9, point 7): the real process (`npm start`'s entry) on a
 * PostgreSQL this suite owns, 16 clients recording assistance with Idempotency-Keys, a dashboard on
 * `/events/live`. Three outages: the server stopped ("fast" shutdown: 57P01 to every session, then
 * connections refused) and started again 3 s later; the postmaster killed (SIGKILL) and started
 * 2 s later; then every backend of the database terminated every 100 ms for 3 s. The harness's shared server is never touched.
 */
describe('the API while its database goes away and comes back', () => {
  let dataDir: string;
  let server: EmbeddedPostgres;
  let databaseUrl: string;
  let api: ApiProcess;

  beforeAll(async () => {
    buildApi();
    dataDir = mkdtempSync(join(tmpdir(), 'outage-pg-'));
    server = await startEmbeddedPostgres({ dataDir });
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query('CREATE DATABASE outage_app');
    await admin.end();
    databaseUrl = server.url.replace(/\/postgres$/, '/outage_app');
    api = await startApiProcess(databaseUrl, SECRET);
  }, 300_000);

  afterAll(async () => {
    await api?.stop();
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const killPostmaster = () => {
    const pidFile = readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8');
    process.kill(Number(pidFile.split('\n')[0]), 'SIGKILL');
  };

  const terminateEveryBackend = async () => {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    try {
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'outage_app'`,
      );
    } finally {
      await admin.end();
    }
  };

  it('stays up, answers 201 or 503 with Retry-After, loses nothing and recovers within 10 s', async () => {
    // given a unit, 16 members with an open shift each, and a dashboard following /events/live
    const operator = `Bearer ${await signToken({ sub: 'op', role: 'operator' }, SECRET)}`;
    const post = async (path: string, body: object) => {
      const res = await request(api.url).post(path).set('Authorization', operator).send(body);
      if (res.status !== 201) throw new Error(`setup ${path}: ${res.status} ${res.text}`);
    };
    await post('/units', { id: 'ward', name: 'Đoàn phường Bến Nghé', kind: 'ward' });
    const shifts: string[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      await post('/members', { id: `m${i}`, unitId: 'ward', displayName: `Đoàn viên ${i}` });
      const startedAt = new Date(Date.now() - 3 * 3_600_000).toISOString();
      await post('/shifts', { id: `s${i}`, memberId: `m${i}`, location: 'TTHCC', startedAt });
      shifts.push(`s${i}`);
    }
    const viewer = await signToken({ sub: 'tv', role: 'viewer' }, SECRET);
    const live = new LiveListener(api.url, viewer);
    await until('the dashboard listens', () => live.received('ready') > 0, 10_000);
    const health = async () => {
      const res = await request(api.url).get('/health');
      // not ready says when to ask again, as every 503 of the API does
      if (res.status === 503) expect(res.headers['retry-after']).toBe('2');
      return res.status;
    };
    const read = () =>
      request(api.url).get('/units/ward/summary').set('Authorization', `Bearer ${viewer}`);
    expect(await health()).toBe(200);

    // when 16 clients record assistance while the server is stopped for 3 s, then while every
    // backend is terminated every 100 ms for 3 s
    const load = new AssistanceLoad(api.url, operator, shifts);
    const healthDuringOutage: number[] = [];
    const readsDuringOutage: request.Response[] = [];
    const returns: number[] = [];
    const returned = async (what: string) => {
      const at = Date.now();
      returns.push(at);
      await until(`a 201 after ${what}`, () => !!load.firstAcknowledgedAfter(at), 10_000);
      await pause(1_500); // the outage's end is logged after a quiet second
    };
    try {
      await pause(1_500);
      await server.stop({ force: true }); // under the API's connections: an outage
      for (let t = 0; t < 6; t++, await pause(500)) {
        healthDuringOutage.push(await health());
        readsDuringOutage.push(await read());
      }
      server = await startEmbeddedPostgres({ dataDir });
      await returned('the restart');

      killPostmaster(); // kill -9: sessions end without a word, connections are refused
      await pause(2_000);
      server = await startEmbeddedPostgres({ dataDir });
      await returned('the kill');

      const sweepsEnd = Date.now() + 3_000;
      while (Date.now() < sweepsEnd) await Promise.all([terminateEveryBackend(), pause(100)]);
      await returned('the sweeps');
    } finally {
      await load.stop();
    }
    await load.resendUnanswered();

    // then the process is alive and every answer was 201 or a 503 problem with Retry-After
    expect(api.alive()).toBe(true);
    const statuses = new Set(load.answers.map((a) => a.status));
    expect([...statuses].sort()).toEqual([201, 503]);
    for (const a of load.answers.filter((x) => x.status === 503)) {
      expect(a.retryAfter).toMatch(/^\d+$/);
      expect(a.contentType).toMatch(/^application\/problem\+json/);
    }
    // and /health said not ready while the server was down, and is ready again
    expect(healthDuringOutage).toContain(503);
    expect(healthDuringOutage.filter((s) => s !== 503 && s !== 200)).toEqual([]);
    // and so did reads, with Retry-After, never a 500
    expect(readsDuringOutage.map((r) => r.status)).toContain(503);
    for (const r of readsDuringOutage.filter((x) => x.status !== 200)) {
      expect(r.status).toBe(503);
      expect(r.headers['retry-after']).toMatch(/^\d+$/);
    }
    expect((await read()).status).toBe(200);
    await until('/health is ready', async () => (await health()) === 200, 10_000);
    // and 201s came back within 10 s of each return
    for (const at of returns) expect(load.firstAcknowledgedAfter(at)! - at).toBeLessThan(10_000);

    // and the dashboard's stream stayed open, LISTEN is back: a change made now reaches it
    const last = returns[returns.length - 1]!;
    const probeAt = Date.now();
    const occurredAt = new Date(probeAt - 60_000).toISOString();
    await load.send('after-the-returns', {
      shiftId: shifts[0]!,
      body: { serviceType: 'chip_id_card', citizens: 1, occurredAt },
    });
    const timeline = () =>
      `live events (ms after the last return): ${live.events.map((e) => `${e.type}@${e.at - last}`).join(' ')}; closed: ${live.closedAt}`;
    await until(
      'the change reaches the live stream',
      () => live.received('projection', probeAt) > 0,
      10_000,
      timeline,
    );
    expect(live.received('ready', last)).toBeGreaterThan(0); // it said so when LISTEN was back
    expect(live.closedAt).toBeUndefined();
    live.close();

    // and every request got its 201 in the end, each stored exactly once, nothing else stored
    expect(load.unanswered.size).toBe(0);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const { rows } = await client
      .query<{ id: string; n: number }>(
        `SELECT data->>'assistanceId' AS id, count(*)::int AS n FROM events
          WHERE type = 'CitizenAssisted' GROUP BY 1`,
      )
      .finally(() => client.end());
    const acknowledgedIds = [...load.acknowledged.values()].map((r) => r.id).sort();
    expect(rows.map((r) => r.id).sort()).toEqual(acknowledgedIds);
    expect(rows.filter((r) => r.n !== 1)).toEqual([]);

    // and the log holds a line per outage start and end, no stack trace (on a line of its own, or
    // inside a JSON log line); besides the access log's one line per request, a few lines per outage,
    // not one per failed request or retry (hundreds of 503s)
    const lines = api.output.map((o) => o.line);
    expect(lines.filter((l) => /^\s+at |\\n\s+at /.test(l))).toEqual([]);
    expect(lines.filter((l) => l.includes('database unavailable'))).toHaveLength(3);
    expect(lines.filter((l) => l.includes('database available again'))).toHaveLength(3);
    const afterStart = lines.slice(lines.findIndex((l) => l.includes('listening on')) + 1);
    const others = afterStart.filter((l) => !isRequestLine(l));
    if (others.length > 8 * returns.length) throw new Error(others.join('\n'));
    process.stdout.write(
      `outage test: ${load.count(201)} × 201, ${load.count(503)} × 503, first 201 after each return in ${returns
        .map((at) => load.firstAcknowledgedAfter(at)! - at)
        .join(' / ')} ms; ${lines.length} log lines\n`,
    );
  }, 180_000);
});
