import { LiveListener } from './support/live-listener.js';
import { startTestApp, type TestApp } from './test-app.js';

/**
 * Probe 3: with a dashboard open on `/events/live` (a wall screen's is open all day), stopping the
 * server never finished: the stream's `ready` half never completed, so the HTTP server waited for it,
 * `npm start` gave up after 30 s, exited 1, and left the embedded PostgreSQL running.
 */
describe('shutting down while dashboards listen', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('platform_shutdown_live', { worker: false });
  });

  it('ends every live stream and closes, instead of waiting for the dashboards to leave', async () => {
    // given two dashboards listening, each told so
    const base = await t.url();
    const token = await t.bearer({ sub: 'wall-screen', role: 'viewer' });
    const screens = [0, 1].map(() => new LiveListener(base, token.slice('Bearer '.length)));
    try {
      await until(() => screens.every((s) => s.received('ready') === 1), 10_000);
      // when the server is stopped
      const closed = t.close().then(() => 'closed' as const);
      // then it closes well within main.ts's 30 s limit, having ended both streams
      let limit: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        closed,
        new Promise<'still open'>((resolve) => (limit = setTimeout(resolve, 10_000, 'still open'))),
      ]);
      clearTimeout(limit);
      expect(outcome).toBe('closed');
      expect(screens.map((s) => s.closedAt !== undefined)).toEqual([true, true]);
    } finally {
      screens.forEach((s) => s.close());
    }
  });
});

async function until(condition: () => boolean, ms: number): Promise<void> {
  for (const started = Date.now(); !condition();) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
