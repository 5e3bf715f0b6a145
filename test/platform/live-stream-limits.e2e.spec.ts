import { readFileSync } from 'node:fs';
import http from 'node:http';
import { connect, type Socket } from 'node:net';
import pg from 'pg';
import request from 'supertest';
import { CHANGES_CHANNEL } from '#projections';
import { LiveStreamSlots } from '../../apps/api/src/queries/live/live-stream-slots.js';
import { startTestApp, type TestApp } from './test-app.js';
import { LiveListener } from './support/live-listener.js';
import { until } from './support/until.js';

/**
 * The probe: `/events/live` queued without bound for a client that does not read (Nest's @Sse()
 * dropped it only past 4 MB more than the kernel holds; 300 such clients held 290 KB each after 22,640
 * commands), and opened as many streams as clients asked for. Small limits here (8 KiB held, 2
 * streams) keep the suite short.
 */
describe('live streams cost the server a bounded amount', () => {
  let t: TestApp;
  let token: string;
  let notifier: pg.Client;
  beforeAll(async () => {
    t = await startTestApp('platform_live_limits', {
      worker: false,
      liveStreamBuffer: 8 * 1024,
      liveStreamsMax: 2,
    });
    token = (await t.bearer({ sub: 'wall-screen', role: 'viewer' })).slice('Bearer '.length);
    // Changes are told as the projection runner tells them: a NOTIFY on the database, one batch after
    // another, here with a 2 KB payload so that a few hundred fill the sockets' buffers.
    notifier = new pg.Client({ connectionString: t.databaseUrl });
    await notifier.connect();
  });
  afterAll(async () => {
    await notifier?.end();
    await t?.close();
  });
  const slots = () => t.app.get(LiveStreamSlots).count;
  /** Tells `count` changes of 7 KB each, as one batch after another; answers how many were told. */
  let told = 0;
  const tell = async (count: number) => {
    await notifier.query(
      `SELECT pg_notify($1, json_build_object('projection', 'probe', 'version', 1, 'state', 'live',
         'position', (n)::text, 'events', 1, 'pad', repeat('x', 7000))::text)
       FROM generate_series($2::int, $3::int) AS n`,
      [CHANGES_CHANNEL, told + 1, told + count],
    );
    return (told += count);
  };

  it('ends the stream of a client that stopped reading, and keeps telling one that reads', async () => {
    // given a dashboard that reads and one that stopped reading once connected
    const base = await t.url();
    const reader = new LiveListener(base, token);
    const stuck = await stuckClient(new URL(base).port, token);
    try {
      await until(() => reader.received('ready') === 1 && slots() === 2, 10_000);
      // when changes are told, 350 KB at a time, until the stuck client's stream ends (at most 40 MB)
      while (slots() === 2 && told < 6_000) await tell(50);
      // then it was ended (its slot given back) once the kernel's send buffer was full and little
      // more waited in the process: not after 4 MB more, as Nest's @Sse() let wait
      expect(slots()).toBe(1);
      expect(told * 7_000).toBeLessThan(kernelSendBufferMax() + 2 * 1024 * 1024);
      // while the reading one was told every change, and is still being told
      await tell(1);
      await until(() => reader.received('projection') === told, 10_000);
      expect(reader.closedAt).toBeUndefined();
    } finally {
      reader.close();
      stuck.destroy();
    }
  });

  it('refuses a stream beyond LIVE_STREAMS_MAX with 503 and Retry-After, until a client leaves', async () => {
    // given as many open streams as the server keeps (the previous test's clients gone)
    await until(() => slots() === 0, 10_000);
    const base = await t.url();
    const first = new LiveListener(base, token);
    const second = new LiveListener(base, token);
    try {
      await until(() => first.received('ready') + second.received('ready') === 2, 10_000);
      // when one more client asks for a stream
      const refused = await openStream(base, token);
      // then it is refused as API.md refuses while the server cannot serve, and holds nothing
      expect(refused.status).toBe(503);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(JSON.parse(refused.body)).toMatchObject({ status: 503, code: 'live_streams_full' });
      expect(slots()).toBe(2);
      // and when a client leaves, its slot goes to the next one that asks
      first.close();
      await until(() => slots() === 1, 10_000);
      const third = new LiveListener(base, token);
      await until(() => third.received('ready') === 1, 10_000);
      third.close();
      // and /metrics counts what was stopped: this refusal, and the stuck client of the test above
      const metrics = await request(t.server)
        .get('/metrics')
        .set('Authorization', `Bearer ${token}`);
      expect(metrics.text).toMatch(/live_streams_stopped_total\{reason="refused"\} 1\b/);
      expect(metrics.text).toMatch(/live_streams_stopped_total\{reason="not_reading"\} 1\b/);
    } finally {
      first.close();
      second.close();
    }
  });
});

/** The most a TCP socket's send buffer grows to in the kernel (Linux's tcp_wmem; 4 MiB by default). */
function kernelSendBufferMax(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/tcp_wmem', 'utf8').trim().split(/\s+/)[2]);
  } catch {
    return 4 * 1024 * 1024;
  }
}

/** A client that asks for the stream and then reads nothing (its socket paused from the start). */
async function stuckClient(port: string, token: string): Promise<Socket> {
  const socket = connect(Number(port), '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.pause();
  socket.on('error', () => {});
  socket.write(
    `GET /events/live?access_token=${encodeURIComponent(token)} HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n`,
  );
  return socket;
}

/** Asks for a stream; answers its status, headers and body (the body of a refusal, which ends). */
function openStream(
  base: string,
  token: string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(`/events/live?access_token=${encodeURIComponent(token)}`, base);
    const request = http.get(url, (response) => {
      if (response.statusCode === 200) {
        request.destroy();
        return resolve({ status: 200, headers: response.headers, body: '' });
      }
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode!, headers: response.headers, body }),
      );
    });
    request.on('error', reject);
  });
}
