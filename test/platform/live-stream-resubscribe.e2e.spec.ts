import { startCommandsKit, type CommandsKit } from '../commands/commands-kit.js';
import { LiveListener } from './support/live-listener.js';

/**
 * Probe 3: each time the last dashboard left `/events/live`, the LISTEN connection went back to the
 * pool with its notification handler still on it (and, when the dashboard left before LISTEN was in
 * place, still listening). The next LISTEN on that connection added a second handler, so after page
 * reloads and flaky phones every change reached every dashboard several times (5 times after 3,000
 * short visits), and each copy made the page read its figures again.
 */
describe('the live stream after dashboards come and go', () => {
  let t: CommandsKit;
  beforeAll(async () => {
    t = await startCommandsKit('platform_live_resubscribe', { worker: true });
  });
  afterAll(() => t?.close());

  it('tells a dashboard of each change once', async () => {
    // given dashboards that came and went, one at a time: some stayed until told they listen, some
    // left at once
    const base = await t.url();
    const token = (await t.bearer({ sub: 'wall-screen', role: 'viewer' })).slice('Bearer '.length);
    for (let visit = 0; visit < 6; visit++) {
      const screen = new LiveListener(base, token);
      if (visit % 2 === 0) await until(() => screen.received('ready') === 1, 10_000);
      screen.close();
    }
    const screen = new LiveListener(base, token);
    try {
      await until(() => screen.received('ready') === 1, 10_000);
      // when two units are registered, one after the other
      const first = await t.record('/units', { id: 'live-1', name: 'Đoàn phường 1', kind: 'ward' });
      const second = await t.record('/units', {
        id: 'live-2',
        name: 'Đoàn phường 2',
        kind: 'ward',
      });
      await until(() => changesAt(screen, second.position).length > 0, 10_000);
      // then each projection's change reached the dashboard once (a pass may cover both commands,
      // so the changes are those up to the second one's position, the first one's included)
      const ids = screen.events
        .filter((e) => e.type === 'projection' && Number(e.id?.split(':')[1]) >= first.position)
        .map((e) => e.id!);
      expect(ids.length).toBeGreaterThan(0);
      expect(ids).toEqual([...new Set(ids)]);
    } finally {
      screen.close();
    }
  });
});

/** The ids (`projection:position`) of the changes the screen was told of at a command's position. */
function changesAt(screen: LiveListener, position: number): string[] {
  return screen.events
    .filter((e) => e.type === 'projection' && e.id?.endsWith(`:${position}`))
    .map((e) => e.id!);
}

async function until(condition: () => boolean, ms: number): Promise<void> {
  for (const started = Date.now(); !condition();) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
