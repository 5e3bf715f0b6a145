import type { Browser } from 'playwright-core';
import { signToken } from '#platform';
import { hoursAgo, startCommandsKit, type CommandsKit } from '../commands/commands-kit.js';
import { TEST_JWT_SECRET } from '../platform/test-app.js';
import { LiveListener } from '../platform/support/live-listener.js';
import { until } from '../platform/support/until.js';
import { launchBrowser } from './support/browser.js';
import { campaignWithOpenShift } from './support/dashboard-campaign.js';

/**
 * An EventSource reconnects by itself when its stream drops, but an answer that is not a stream (503
 * while every live stream is in use) closes it for good: the page must open another one itself, and
 * read its figures again when it does. The server keeps one live stream here.
 */
describe('the dashboard page when its live stream is refused', () => {
  let kit: CommandsKit;
  let browser: Browser;
  let base: string;
  let token: string;

  beforeAll(async () => {
    kit = await startCommandsKit('dashboard_live_refused', { worker: true, liveStreamsMax: 1 });
    browser = await launchBrowser();
    await campaignWithOpenShift(kit, 'r');
    token = await signToken({ sub: 'screen-r', role: 'viewer' }, TEST_JWT_SECRET);
    base = await kit.url();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await kit?.close();
  });

  it('opens another stream once one is free, and follows the figures again', async () => {
    // given the server's one live stream taken by another screen
    const other = new LiveListener(base, token);
    try {
      await until(() => other.received('ready') === 1, 10_000);
      // when the page opens, its stream is refused, and it says its figures may be stale
      const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
      await page.goto(`${base}/dashboard?campaign=r-c1#token=${token}`);
      await page.locator('#stale').waitFor({ state: 'visible', timeout: 20_000 });
      expect(await page.locator('#stale').textContent()).toContain('Mất kết nối trực tiếp');
      // and when the other screen leaves, the page gets the stream (within its 5 s wait)
      other.close();
      await page.locator('#stale').waitFor({ state: 'hidden', timeout: 10_000 });
      // then it follows what is recorded from then on
      await kit.record('/shifts/r-s1/assistance', {
        id: 'r-a1',
        serviceType: 'eid_activation',
        citizens: 5,
        occurredAt: hoursAgo(2),
      });
      await page
        .locator('[data-figure="citizensAssisted"] b', { hasText: '5' })
        .waitFor({ timeout: 20_000 });
    } finally {
      other.close();
    }
  }, 60_000);

  it('says its token is refused, and stops asking, once the server no longer accepts it', async () => {
    // given a link whose token the server refuses though it has not expired: signed with another
    // secret, as every token is once AUTH_JWT_SECRET was rotated to revoke them (README)
    const revoked = await signToken(
      { sub: 'screen-revoked', role: 'viewer' },
      'a-secret-this-server-no-longer-has-0123456789',
    );
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const streams: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/events/live') streams.push(r.url());
    });

    // when the wall screen opens it
    await page.goto(`${base}/dashboard?campaign=r-c1#token=${revoked}`);

    // then its banner says the token is refused (not that it expired, nor that it reconnects)
    const banner = page.locator('#stale', { hasText: 'không được chấp nhận' });
    await banner.waitFor({ timeout: 20_000 });
    // and it stays so, without knocking again: past the page's first wait to reopen (2.5 to 5 s)
    await page.waitForTimeout(8_000);
    expect(await page.locator('#stale').textContent()).toContain('không được chấp nhận');
    expect(streams).toHaveLength(1);
    expect(await page.locator('#content').isHidden()).toBe(true);
    await page.close();
  }, 60_000);
});
