import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import pg from 'pg';
import { signToken } from '#platform';
import { createTestDatabase } from '../harness/database.js';
import {
  buildApi,
  isRequestLine,
  allListening,
  post,
  send,
  startApiProcess,
  type ApiProcess,
} from './support/api-process.js';

const SECRET = 'api-processes-test-secret-long-enough';

/** The text of GET /metrics, on a connection of its own. */
function scrape(base: string, token: string): Promise<string> {
  return new Promise((done, fail) => {
    const req = http.get(
      new URL('/metrics', base),
      { agent: false, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          res.statusCode === 200 ? done(text) : fail(new Error(`${res.statusCode}: ${text}`)),
        );
      },
    );
    req.on('error', fail);
  });
}

/** Pids of the live processes whose parent is `pid`. */
function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ');
      if (Number(fields[1]) === pid && fields[0] !== 'Z') found.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/**
 * API_PROCESSES=2 as `npm start` runs it: the port shared by two API processes under a supervisor.
 * Requests land on both, the rules that span requests hold across them (the member guard, the
 * idempotency log, stream versions), and stopping the supervisor stops them all.
 */
describe('the API as several processes sharing its port', () => {
  let api: ApiProcess;
  let drop: () => Promise<void>;
  let databaseUrl: string;
  let token: string;
  let openShift: string | undefined;

  beforeAll(async () => {
    buildApi();
    const db = await createTestDatabase('api_processes');
    drop = db.drop;
    databaseUrl = db.url;
    api = await startApiProcess(db.url, SECRET, { processes: 2, env: { LOG_FORMAT: 'json' } });
    token = await signToken({ sub: 'op', role: 'operator' }, SECRET);
    await allListening(api, 2);
  }, 300_000);

  afterAll(async () => {
    await api?.stop();
    await drop?.();
  });

  it('answers from two processes, and ten overlapping shifts sent at once record exactly one', async () => {
    // given: a unit and a member
    const base = api.url;
    expect(
      (await post(base, token, '/units', { id: 'u1', name: 'Ward 1', kind: 'ward' })).status,
    ).toBe(201);
    const member = { id: 'm1', unitId: 'u1', displayName: 'Lan' };
    expect((await post(base, token, '/members', member)).status).toBe(201);

    // when: ten overlapping shifts of that member arrive at once, each on its own connection
    const startedAt = new Date(Date.now() - 3_600_000).toISOString();
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        post(base, token, '/shifts', { id: `s${i}`, memberId: 'm1', location: 'hall', startedAt }),
      ),
    );

    // then: one is recorded, the others refused; both processes answered requests
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    openShift = `s${answers.findIndex((a) => a.status === 201)}`;
    expect(answers.filter((a) => a.status === 422)).toHaveLength(9);
    // (log lines are written behind the answers: look until both processes' lines are in, or 10 s)
    const pids = () =>
      new Set(
        api.output
          .filter((o) => isRequestLine(o.line))
          .map((o) => JSON.parse(o.line).pid as number),
      );
    for (const deadline = Date.now() + 10_000; pids().size < 2 && Date.now() < deadline;)
      await new Promise((done) => setTimeout(done, 50));
    expect(pids().size).toBe(2);
  });

  it('records each assistance once when the same shift is written from both processes', async () => {
    // given: the shift the previous test recorded
    expect(openShift).toBeDefined();

    // when: 120 records at once (and each sent again: the resend must answer the same) through both
    // processes, which then race for the shift's stream
    const records = Array.from({ length: 120 }, (_, i) => ({
      id: `a${i}`,
      serviceType: 'other',
      citizens: 1,
      occurredAt: new Date(Date.now() - 60_000).toISOString(),
    }));
    const record = (r: object) => post(api.url, token, `/shifts/${openShift}/assistance`, r);
    const first = await Promise.all(records.map(record));
    const again = await Promise.all(records.map(record));

    // then: all 201, the resends answer the first positions, the leaderboard counts 120
    expect(first.map((a) => a.status)).toEqual(records.map(() => 201));
    expect(again.map((a) => a.body.position)).toEqual(first.map((a) => a.body.position));
    const last = Math.max(...first.map((a) => a.body.position!));
    const board = await send(
      api.url,
      token,
      'GET',
      `/leaderboards/members?metric=citizensAssisted&minPosition=${last}`,
    );
    expect(board.status).toBe(200);
    expect(board.body.entries).toEqual([expect.objectContaining({ memberId: 'm1', value: 120 })]);
  });

  it('counts the requests of every process in each scrape of /metrics', async () => {
    // given: 30 health checks, each on a connection of its own, so that both processes answer some
    const checks = 30;
    for (let i = 0; i < checks; i++)
      expect((await send(api.url, token, 'GET', '/health')).status).toBeLessThan(500);

    // when: /metrics is scraped four times, each scrape on a connection of its own (both get some)
    const scrapes = await Promise.all(Array.from({ length: 4 }, () => scrape(api.url, token)));

    // then: every scrape counts all 30, whichever process answered it
    const counted = (text: string) =>
      text
        .split('\n')
        .filter((line) => /^http_request_duration_seconds_count\{.*route="\/health"/.test(line))
        .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
    expect(scrapes.map(counted)).toEqual([checks, checks, checks, checks]);
  });

  it("shows each projection's checkpoint and lag once in /metrics, not added up over the processes", async () => {
    // given: the projections caught up with the commands above (read from their checkpoints)
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const live = async () =>
      (
        await client.query<{ projection: string; position: string }>(
          `SELECT projection, position FROM projection_checkpoints WHERE state = 'live'`,
        )
      ).rows;
    const head = async () =>
      (
        await client.query<{ head: string }>(
          `SELECT max(global_position)::text AS head FROM events`,
        )
      ).rows[0]!.head;
    try {
      for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
        const target = await head();
        if ((await live()).every((slot) => slot.position === target)) break;
        await new Promise((done) => setTimeout(done, 100));
      }
      const checkpoints = await live();
      expect(checkpoints.length).toBeGreaterThan(0);

      // when: /metrics is scraped (by whichever process; both report the projections: the worker's
      // runner, and the other from the checkpoints)
      const scrapes = await Promise.all(Array.from({ length: 4 }, () => scrape(api.url, token)));

      // then: every scrape says each live slot's checkpoint as stored, and no lag
      const series = (text: string, name: string) =>
        Object.fromEntries(
          text
            .split('\n')
            .filter((line) => line.startsWith(`${name}{`) && line.includes('state="live"'))
            .map((line) => [/projection="([^"]+)"/.exec(line)![1], line.split(' ').pop()]),
        );
      const stored = Object.fromEntries(
        checkpoints.map((slot) => [slot.projection, slot.position]),
      );
      const none = Object.fromEntries(checkpoints.map((slot) => [slot.projection, '0']));
      for (const text of scrapes) {
        expect(series(text, 'projection_checkpoint')).toEqual(stored);
        expect(series(text, 'projection_lag_events')).toEqual(none);
      }
    } finally {
      await client.end();
    }
  });

  it('stops every process on SIGTERM', async () => {
    // given: the supervisor and its two children
    const supervisor = api.child.pid!;
    expect(childrenOf(supervisor)).toHaveLength(2);

    // when: the supervisor is asked to stop
    await api.stop();

    // then: it exited cleanly and left no child behind
    expect(api.child.exitCode).toBe(0);
    expect(childrenOf(supervisor)).toHaveLength(0);
  });
});
