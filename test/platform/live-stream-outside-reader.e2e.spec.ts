import { createServer, connect, type Server, type Socket } from 'node:net';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { CHANGES_CHANNEL } from '#projections';
import { launchBrowser } from '../projections/support/browser.js';
import { startTestApp, type TestApp } from './test-app.js';

/** What the page's EventSource saw, as `window.seen`. */
type Seen = {
  opens: number;
  errors: number;
  messages: { type: string; lastEventId: string; data: string }[];
};

/**
 * A TCP proxy in front of the API that closes a connection when no byte crossed it, either way, for
 * `idleMs`: what nginx (`proxy_read_timeout`), load balancers and corporate proxies do to a quiet
 * stream, with a shorter wait. `cuts` counts the live streams' connections it closed so.
 */
async function idleCuttingProxy(
  target: number,
  idleMs: number,
): Promise<{
  port: number;
  cuts: () => number;
  /** The head of each request that came through, as the client sent it (GETs: heads only). */
  requests: () => string[];
  /** Drops every connection at once, as a proxy restarting does. */
  dropAll: () => void;
  close: () => Promise<void>;
}> {
  let cuts = 0;
  const sent: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    let last = Date.now();
    const connection = sent.push('') - 1;
    client.on('data', (chunk: Buffer) => {
      sent[connection] += chunk.toString('latin1');
      last = Date.now();
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      last = Date.now();
      client.write(chunk);
    });
    const watch = setInterval(() => {
      if (Date.now() - last < idleMs) return;
      // only a stream's connection counts: the page's own load, or its favicon's, may be left idle on
      // a connection of its own, and cutting that one is no fault of the stream (CI saw one such cut)
      if (sent[connection]!.includes('GET /events/live')) cuts++;
      client.destroy();
      upstream.destroy();
    }, 50);
    const done = () => {
      clearInterval(watch);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', done);
    upstream.on('close', done);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return {
    port: (server.address() as { port: number }).port,
    cuts: () => cuts,
    requests: () =>
      sent.flatMap((text) => text.split('\r\n\r\n').filter((head) => head.length > 0)),
    dropAll: () => {
      for (const socket of sockets) socket.destroy();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((closed) => server.close(closed));
    },
  };
}

/**
 * `/events/live` read by an implementation nobody on this project wrote: Chromium's EventSource (the
 * WHATWG parser every dashboard uses), directly and through a proxy that cuts idle connections.
 */
describe('the live stream read by a browser EventSource', () => {
  let t: TestApp;
  let browser: Browser;
  let token: string;
  let notifier: pg.Client;
  let apiPort: number;

  beforeAll(async () => {
    // A heartbeat every 300 ms: the proxy below cuts after 3 s, as nginx does after 60 s.
    [t, browser] = await Promise.all([
      startTestApp('platform_live_outside_reader', { worker: false, liveStreamHeartbeatMs: 300 }),
      launchBrowser(),
    ]);
    token = (await t.bearer({ sub: 'wall-screen', role: 'viewer' })).slice('Bearer '.length);
    apiPort = Number(new URL(await t.url()).port);
    // Changes are told as the projection runner tells them: a NOTIFY on the database.
    notifier = new pg.Client({ connectionString: t.databaseUrl });
    await notifier.connect();
  }, 60_000);
  afterAll(async () => {
    await notifier?.end();
    await browser?.close();
    await t?.close();
  });

  const tell = (change: Record<string, unknown>) =>
    notifier.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, JSON.stringify(change)]);

  /** A page on `port` (same origin as the stream) with an EventSource on `/events/live`. */
  async function listeningPage(port: number): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/health`);
    // The page's own script, as a string: it runs in the browser, not in this process.
    await page.evaluate(`(() => {
      const seen = { opens: 0, errors: 0, messages: [] };
      window.seen = seen;
      const source = new EventSource('/events/live?access_token=' + ${JSON.stringify(token)});
      source.onopen = () => seen.opens++;
      source.onerror = () => seen.errors++;
      for (const type of ['ready', 'projection', 'message'])
        source.addEventListener(type, (event) =>
          seen.messages.push({ type, lastEventId: event.lastEventId, data: event.data }),
        );
    })()`);
    return page;
  }
  const seen = (page: Page) => page.evaluate('window.seen') as Promise<Seen>;
  const messagesArrived = (page: Page, count: number) =>
    page.waitForFunction(`window.seen.messages.length >= ${count}`, undefined, {
      timeout: 10_000,
    });

  it('reads each change as one message of its type, with its id and its JSON intact', async () => {
    // given a browser listening on the stream
    const page = await listeningPage(apiPort);
    try {
      await messagesArrived(page, 1);
      // when a change whose fields hold line breaks, a colon-led line and non-ASCII text is told
      const change = {
        projection: 'probe\nevent: forged',
        version: 1,
        state: 'live\r\n\r\ndata: x',
        position: '41',
        events: 3,
        note: 'Đoàn phường 1\u2028: not a comment\n\nid: 99',
      };
      await tell(change);
      await messagesArrived(page, 2);
      // then the browser saw `ready`, then exactly one `projection` message carrying that change
      const { messages } = await seen(page);
      expect(messages.map((m) => m.type)).toEqual(['ready', 'projection']);
      expect(JSON.parse(messages[1].data)).toEqual({ ...change, position: 41 });
      // and its id, which the browser sends back as Last-Event-ID, is one line naming it
      expect(messages[1].lastEventId).toBe('probeevent: forged:41');
    } finally {
      await page.close();
    }
  });

  it('stays open through a proxy that cuts connections idle longer than its heartbeat', async () => {
    // given a browser listening through a proxy that closes a connection quiet for 3 s
    const proxy = await idleCuttingProxy(apiPort, 3_000);
    const page = await listeningPage(proxy.port);
    try {
      await messagesArrived(page, 1);
      // when nothing changes for 5 s
      await new Promise((done) => setTimeout(done, 5_000));
      // then the proxy cut nothing: the EventSource opened once, failed never, and was told `ready` once
      expect(proxy.cuts()).toBe(0);
      const quiet = await seen(page);
      expect({ opens: quiet.opens, errors: quiet.errors }).toEqual({ opens: 1, errors: 0 });
      expect(quiet.messages.map((m) => m.type)).toEqual(['ready']);
      // and a change told afterwards reaches it on that same stream
      await tell({ projection: 'probe', version: 1, state: 'live', position: '42', events: 1 });
      await messagesArrived(page, 2);
      expect((await seen(page)).messages.map((m) => m.lastEventId)).toEqual(['', 'probe:42']);
    } finally {
      await page.close();
      await proxy.close();
    }
  });

  it('reconnects by itself after its connection drops, sending the last id it saw, and is told `ready` again', async () => {
    // given a browser listening through a proxy, told a change
    const proxy = await idleCuttingProxy(apiPort, 60_000);
    const page = await listeningPage(proxy.port);
    try {
      await messagesArrived(page, 1);
      await tell({ projection: 'probe', version: 1, state: 'live', position: '43', events: 1 });
      await messagesArrived(page, 2);
      // when the proxy drops the connection
      proxy.dropAll();
      // then the EventSource opens the stream again, naming the last change it saw (the stream does
      // not replay from it: a change told while it was away is not told again)
      await page.waitForFunction('window.seen.opens === 2', undefined, { timeout: 15_000 });
      const streams = proxy.requests().filter((head) => head.startsWith('GET /events/live'));
      expect(streams.length).toBe(2);
      expect(streams[1]).toMatch(/^last-event-id: probe:43$/im);
      // and its first message is `ready` again: the sign to read the figures it may have missed
      await messagesArrived(page, 3);
      expect((await seen(page)).messages.map((m) => m.type)).toEqual([
        'ready',
        'projection',
        'ready',
      ]);
    } finally {
      await page.close();
      await proxy.close();
    }
  });
});
