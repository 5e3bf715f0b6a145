import { createServer, connect, type Server, type Socket } from 'node:net';
import type { Browser } from 'playwright-core';
import { signToken } from '#platform';
import { hoursAgo, startCommandsKit, type CommandsKit } from '../commands/commands-kit.js';
import { TEST_JWT_SECRET } from '../platform/test-app.js';
import { until } from '../platform/support/until.js';
import { collectPageErrors, launchBrowser } from './support/browser.js';
import { campaignWithOpenShift } from './support/dashboard-campaign.js';
import { citizensFigure, untilCitizensShown } from './support/dashboard-figures.js';

/**
 * A TCP proxy in front of the API whose live-stream connections can fall silent: no byte crosses
 * them any more, either way, and neither end is told. That is what a ward office's router does when
 * it reboots and forgets its connections, or a laptop's network after it slept: the server's side
 * ends (its heartbeats go unanswered), the browser's waits for ever.
 */
async function silencingProxy(target: number): Promise<{
  port: number;
  streamsOpened: () => number;
  silenceStreams: () => void;
  close: () => Promise<void>;
}> {
  let opened = 0;
  const sockets = new Set<Socket>();
  const streams = new Set<{ silent: boolean }>();
  const server: Server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    const state = { silent: false };
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.on('data', (chunk: Buffer) => {
      // a kept-alive connection may carry other reads first: each request's head is looked at
      if (chunk.toString('latin1').startsWith('GET /events/live')) {
        opened++;
        streams.add(state);
      }
      if (!state.silent) upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!state.silent) client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => {
      if (!state.silent) client.destroy(); // a silent path does not pass the end on either
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    streamsOpened: () => opened,
    silenceStreams: () => streams.forEach((s) => (s.silent = true)),
    close: async () => {
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('the dashboard page when its live stream falls silent', () => {
  let kit: CommandsKit;
  let browser: Browser;
  let viewerToken: string;

  beforeAll(async () => {
    // a heartbeat every 400 ms, for 15 s: what the page waits for is a few of them
    kit = await startCommandsKit('dashboard_silent', { worker: true, liveStreamHeartbeatMs: 400 });
    browser = await launchBrowser();
    await campaignWithOpenShift(kit, 'q');
    viewerToken = await signToken({ sub: 'wall-q', role: 'viewer' }, TEST_JWT_SECRET);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await kit?.close();
  });

  it('notices the silence, opens another stream, and shows the change it would have missed', async () => {
    // given the page open through a path that can fall silent, showing the figures
    const proxy = await silencingProxy(Number(new URL(await kit.url()).port));
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const errors = collectPageErrors(page);
    try {
      await page.goto(
        `http://127.0.0.1:${proxy.port}/dashboard?campaign=q-c1#token=${viewerToken}`,
      );
      const figure = citizensFigure(page);
      const before = Number(await figure.textContent({ timeout: 20_000 }));
      await until(() => proxy.streamsOpened() === 1, 10_000);

      // when its stream's path falls silent, and then citizens are helped
      proxy.silenceStreams();
      await kit.record('/shifts/q-s1/assistance', {
        id: 'q-a1',
        serviceType: 'eid_activation',
        citizens: 2,
        occurredAt: hoursAgo(1),
      });

      // then the page opens another stream and shows the change, without being reloaded
      await untilCitizensShown(page, before + 2);
      expect(proxy.streamsOpened()).toBeGreaterThan(1);
      await page.locator('#stale').waitFor({ state: 'hidden', timeout: 20_000 });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      await proxy.close();
    }
  }, 60_000);
});
