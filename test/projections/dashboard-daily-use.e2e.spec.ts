import { DateTime } from 'luxon';
import type { Browser, BrowserContextOptions } from 'playwright-core';
import request from 'supertest';
import { signToken } from '#platform';
import {
  hoursAgo,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from '../commands/commands-kit.js';
import { TEST_JWT_SECRET } from '../platform/test-app.js';
import { collectPageErrors, launchBrowser } from './support/browser.js';
import { citizensFigure, untilCitizensShown } from './support/dashboard-figures.js';

/**
 * The page as coordinators and district leaders use it all day: on a wall screen whose browser was
 * left on UTC, over a district of many wards, opened from links however they were written, with a
 * keyboard and a screen reader.
 */
describe('the dashboard page in daily use', () => {
  let kit: CommandsKit;
  let browser: Browser;
  let base: string;
  let viewerToken: string;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  const zone = 'Asia/Ho_Chi_Minh';

  /** Sends a command; returns the position it was recorded at. */
  const command = async (path: string, body: object): Promise<number> =>
    (await kit.record(path, body)).position;
  /** Waits until the read models have reached `position` (API.md's minPosition). */
  const readUpTo = async (position: number) => {
    const res = await request(kit.server)
      .get(`/campaigns/w-c1/progress?minPosition=${position}`)
      .set('Authorization', `Bearer ${viewerToken}`);
    expect(res.status).toBe(200);
  };
  const openPage = async (url: string, options: BrowserContextOptions = {}) => {
    const context = await browser.newContext({
      viewport: { width: 1000, height: 900 },
      ...options,
    });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${base}${url}`);
    await citizensFigure(page).waitFor({ timeout: 20_000 });
    return { page, errors, context };
  };

  beforeAll(async () => {
    kit = await startCommandsKit('dashboard_daily_use', { worker: true });
    browser = await launchBrowser();
    ids = await seedTree(kit, 'w');
    viewerToken = await signToken({ sub: 'wall-1', role: 'viewer' }, TEST_JWT_SECRET);
    const today = DateTime.now().setZone(zone);
    await command('/campaigns', {
      id: 'w-c1',
      unitId: ids.ward,
      name: 'Ngày hội chuyển đổi số',
      timezone: zone,
      startDate: today.minus({ days: 3 }).toISODate(),
      endDate: today.plus({ days: 3 }).toISODate(),
      dailyWindow: { from: '00:00', to: '24:00' },
    });
    await command('/shifts', {
      id: 'w-s1',
      memberId: ids.member,
      campaignId: 'w-c1',
      location: 'TTHCC',
      startedAt: hoursAgo(3),
    });
    await readUpTo(
      await command('/shifts/w-s1/assistance', {
        id: 'w-a1',
        serviceType: 'eid_activation',
        citizens: 3,
        occurredAt: hoursAgo(2),
      }),
    );
    base = await kit.url();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await kit?.close();
  });

  it("tells the time of its last update by the campaign's clock, and the campaign's year", async () => {
    // given a wall screen whose browser keeps UTC, seven hours behind the campaign's zone
    const { page, errors, context } = await openPage(
      `/dashboard?campaign=w-c1#token=${viewerToken}`,
      {
        timezoneId: 'UTC',
      },
    );

    // when it shows the campaign
    const line = (await page.locator('#status').textContent()) ?? '';

    // then the line that names the campaign's zone tells the update's time in that zone, not in UTC
    expect(line).toContain(zone);
    const [hour, minute] = (/(\d{2}):(\d{2}):\d{2}$/.exec(line) ?? []).slice(1).map(Number);
    const shown = DateTime.now().setZone(zone).set({ hour, minute });
    const minutesOff = Math.abs(shown.diff(DateTime.now().setZone(zone), 'minutes').minutes);
    expect(Math.min(minutesOff, 24 * 60 - minutesOff)).toBeLessThan(60);
    // and its dates carry the year, which tells this year's drive from last year's of the same name
    expect(line).toContain(String(DateTime.now().setZone(zone).minus({ days: 3 }).year));
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('lists every unit under the launching one, those that did nothing yet too', async () => {
    // given a ward with 40 more branches than the one that helped citizens, none of them active yet
    let position = 0;
    for (let chunk = 0; chunk < 40; chunk += 10) {
      const recorded = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          command('/units', {
            id: `w-idle-${chunk + i}`,
            name: `Chi đoàn khu phố ${chunk + i}`,
            kind: 'branch',
            parentId: ids.ward,
          }),
        ),
      );
      position = Math.max(position, ...recorded);
    }
    await readUpTo(position);

    // when its leader opens the page
    const { page, errors, context } = await openPage(
      `/dashboard?campaign=w-c1#token=${viewerToken}`,
    );
    await page.locator('#units td', { hasText: 'Chi đoàn 1' }).first().waitFor({ timeout: 20_000 });

    // then the table by unit lists all 41 branches, the idle ones (the ones to call) included
    const names = await page.locator('#units tbody tr td:nth-child(2)').allTextContents();
    expect(names).toHaveLength(41);
    expect(names).toContain('Chi đoàn khu phố 39');
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('says it lists only the first 500 units when there are more, not when there are 500', async () => {
    // given a district with exactly 500 wards, and a campaign it launched
    const district = 'w-500';
    let position = await command('/units', {
      id: district,
      name: 'Quận đoàn 500',
      kind: 'district',
    });
    for (let chunk = 0; chunk < 500; chunk += 50) {
      const recorded = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          command('/units', {
            id: `${district}-${chunk + i}`,
            name: `Đoàn phường ${chunk + i}`,
            kind: 'ward',
            parentId: district,
          }),
        ),
      );
      position = Math.max(position, ...recorded);
    }
    const today = DateTime.now().setZone(zone);
    position = await command('/campaigns', {
      id: 'w-c500',
      unitId: district,
      name: 'Chiến dịch của 500 phường',
      startDate: today.toISODate(),
      endDate: today.plus({ days: 3 }).toISODate(),
      dailyWindow: { from: '07:00', to: '22:00' },
    });
    await readUpTo(position);

    // when its leader opens the page
    const { page, errors, context } = await openPage(
      `/dashboard?campaign=w-c500#token=${viewerToken}`,
    );
    await page.locator('#units tbody tr').nth(499).waitFor({ timeout: 20_000 });

    // then it lists all 500, and no note says that some were left out
    expect(await page.locator('#units tbody tr').count()).toBe(500);
    expect(await page.locator('#units-more').textContent()).toBe('');

    // and once a 501st ward is registered, the note says the table shows only the first 500
    await command('/units', {
      id: `${district}-500`,
      name: 'Đoàn phường 500',
      kind: 'ward',
      parentId: district,
    });
    await page.locator('#units-more', { hasText: '500' }).waitFor({ timeout: 20_000 });
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it.each(['access_token', 'token'])(
    'signs in from a link that carries its token as ?%s=, and takes it out of the address',
    async (name) => {
      // given a link written with the token in its query, as the live stream takes it
      const url = `/dashboard?campaign=w-c1&${name}=${viewerToken}`;

      // when a leader opens it
      const { page, errors, context } = await openPage(url);

      // then the page shows the figures, and the token is in no address the tab keeps
      expect(page.url()).toBe(`${base}/dashboard?campaign=w-c1`);
      // (the tab's history holds the address the page left, not the one it was opened at)
      await page.goBack();
      await page.goForward();
      expect(page.url()).toBe(`${base}/dashboard?campaign=w-c1`);
      expect(await page.evaluate('sessionStorage.getItem("token")')).toBe(viewerToken);
      expect(errors).toEqual([]);
      await context.close();
    },
    60_000,
  );

  it('announces nothing to a screen reader when the figures change, only what went wrong', async () => {
    // given the page open, with every change to its live regions (what screen readers announce) noted
    const { page, errors, context } = await openPage(
      `/dashboard?campaign=w-c1#token=${viewerToken}`,
    );
    await page.evaluate(`(() => {
      window.announced = [];
      const regions = document.querySelectorAll('[role=status], [role=alert], [role=log], [aria-live]');
      const observer = new MutationObserver((changes) => changes.forEach((c) => {
        const region = c.target.nodeType === 1 ? c.target : c.target.parentElement;
        if (!region.hidden) window.announced.push(region.id + ': ' + region.textContent);
      }));
      regions.forEach((r) => observer.observe(r, { childList: true, characterData: true, subtree: true }));
    })()`);
    const before = Number(await citizensFigure(page).textContent());

    // when more citizens are helped, and the page shows it
    await command('/shifts/w-s1/assistance', {
      id: 'w-a2',
      serviceType: 'eid_activation',
      citizens: 2,
      occurredAt: hoursAgo(1),
    });
    await untilCitizensShown(page, before + 2);

    // then no live region spoke: figures that move all day are read when the reader asks for them
    expect(await page.evaluate('window.announced')).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('reads a campaign a keyboard moved to in its picker once it is chosen, not each one passed', async () => {
    // given two more campaigns of the ward, listed in the picker with the first
    const today = DateTime.now().setZone(zone);
    let position = 0;
    for (const id of ['w-k1', 'w-k2'])
      position = await command('/campaigns', {
        id,
        unitId: ids.ward,
        name: `Chiến dịch ${id}`,
        startDate: today.minus({ days: 1 }).toISODate(),
        endDate: today.plus({ days: 1 }).toISODate(),
        dailyWindow: { from: '07:00', to: '22:00' },
      });
    await readUpTo(position);
    const { page, errors, context } = await openPage(
      `/dashboard?campaign=w-c1#token=${viewerToken}`,
    );
    await page.locator('#picker option[value="w-k2"]').waitFor({ state: 'attached' });
    const read: string[] = [];
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.endsWith('/progress')) read.push(path);
    });

    // when a keyboard user moves through the closed picker, from its top, two campaigns down
    await page.focus('#picker');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const chosen = await page.locator('#picker').inputValue();
    await page.waitForTimeout(1_500); // room for the reads a press would start

    // then nothing is read for the campaigns passed by
    expect(read).toEqual([]);
    expect(page.url()).toBe(`${base}/dashboard?campaign=w-c1`);

    // and when they press Enter, the page shows the one they chose
    const shown = page.waitForResponse((r) => r.url().includes(`/campaigns/${chosen}/progress`));
    await page.keyboard.press('Enter');
    await shown;
    await page
      .locator('#title', { hasText: `${chosen === 'w-c1' ? 'Ngày hội' : chosen}` })
      .waitFor();
    expect(page.url()).toBe(`${base}/dashboard?campaign=${chosen}`);
    expect(new Set(read)).toEqual(new Set([`/campaigns/${chosen}/progress`]));

    // and when they move up one and leave the picker with Tab, the page shows that one
    await page.keyboard.press('ArrowUp');
    const left = await page.locator('#picker').inputValue();
    const followed = page.waitForResponse((r) => r.url().includes(`/campaigns/${left}/progress`));
    await page.keyboard.press('Tab');
    await followed;
    expect(page.url()).toBe(`${base}/dashboard?campaign=${left}`);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('follows the figures live with a token pasted with spaces around it', async () => {
    // given the page opened bare, and a token and an id copied from a chat message, a space either side
    const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${base}/dashboard`);

    // when the leader pastes it and shows the campaign
    await page.fill('input[name="campaign"]', ' w-c1 ');
    await page.fill('input[name="token"]', ` ${viewerToken} `);
    await page.click('#settings button');
    const figure = citizensFigure(page);
    const before = Number(await figure.textContent({ timeout: 20_000 }));

    // then the page follows the figures as they change, with no red banner
    await command('/shifts/w-s1/assistance', {
      id: 'w-pasted',
      serviceType: 'app_install',
      citizens: 1,
      occurredAt: hoursAgo(1),
    });
    await untilCitizensShown(page, before + 1);
    expect(await page.locator('#stale').isHidden()).toBe(true);
    expect(page.url()).toBe(`${base}/dashboard?campaign=w-c1`);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('keeps showing the figures while changes come faster than it reads them, a few reads apart', async () => {
    // given the page open and showing the figures, with its reads of the progress counted
    const { page, errors, context } = await openPage(
      `/dashboard?campaign=w-c1#token=${viewerToken}`,
    );
    const before = Number(await citizensFigure(page).textContent());
    let reads = 0;
    page.on('request', (r) => {
      if (r.url().includes('/campaigns/w-c1/progress')) reads++;
    });

    // when citizens are helped without a pause for 8 s, as on a busy day of a whole province
    const seconds = 8;
    const end = Date.now() + seconds * 1000;
    const flood = (async () => {
      for (let n = 0; Date.now() < end; n++) {
        await command('/shifts/w-s1/assistance', {
          id: `w-flood-${n}`,
          serviceType: 'app_install',
          citizens: 1,
          occurredAt: hoursAgo(1),
        });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const shownDuring: number[] = [];
    while (Date.now() < end - 500) {
      shownDuring.push(Number(await citizensFigure(page).textContent()));
      await page.waitForTimeout(250);
    }
    await flood;

    // then the figures moved while the changes kept coming (not only once they stopped), read a
    // few seconds apart rather than once per change
    expect(Math.max(...shownDuring)).toBeGreaterThan(before);
    expect(reads).toBeLessThanOrEqual(seconds);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('draws the running total up to today, not flat across the days still to come', async () => {
    // given a campaign of seven days, today the fourth, its page open
    const { page, errors, context } = await openPage(
      `/dashboard?campaign=w-c1#token=${viewerToken}`,
    );
    const today = DateTime.now().setZone(zone);

    // when it draws the citizens per day
    const points = ((await page.getAttribute('#chart polyline', 'points')) ?? '').split(' ');
    const cumulative = await page.locator('#days tbody td:nth-child(3)').allTextContents();

    // then the running total has a point for each day up to today, and the table a figure for
    // each of them, the three days to come left blank
    expect(points).toHaveLength(4);
    expect(cumulative).toHaveLength(7);
    expect(cumulative.slice(0, 4).every((text) => /^\d/.test(text))).toBe(true);
    expect(cumulative.slice(4)).toEqual(['', '', '']);
    expect(
      await page
        .locator('#days tbody td')
        .nth(3 * 4)
        .textContent(),
    ).toBe(today.toFormat('dd-MM')); // (the Vietnamese day label)
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('says when a campaign is closed, which takes no more shifts or assistance', async () => {
    // given a campaign closed before its last day
    const today = DateTime.now().setZone(zone);
    await command('/campaigns', {
      id: 'w-closed',
      unitId: ids.ward,
      name: 'Chiến dịch đóng sớm',
      startDate: today.minus({ days: 2 }).toISODate(),
      endDate: today.plus({ days: 5 }).toISODate(),
      dailyWindow: { from: '07:00', to: '22:00' },
    });
    await readUpTo(await command('/campaigns/w-closed/close', {}));

    // when a leader opens it
    const { page, errors, context } = await openPage(
      `/dashboard?campaign=w-closed#token=${viewerToken}`,
    );

    // then its status line says it is closed, in either language (the days left in its window
    // would otherwise read as days nobody worked)
    expect(await page.locator('#status').textContent()).toContain('đã kết thúc');
    await page.click('#lang');
    expect(await page.locator('#status').textContent()).toContain('closed');
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('reads again after a read that failed on a busy server, rather than wait for the next change', async () => {
    // given the page open and showing the figures
    const { page, errors, context } = await openPage(
      `/dashboard?campaign=w-c1#token=${viewerToken}`,
    );
    const before = Number(await citizensFigure(page).textContent());
    // and a server that answers the page's next read of them 503, as when its database is busy
    let refused = 0;
    await page.route('**/campaigns/w-c1/progress*', (route) => {
      if (refused++ > 0) return route.continue();
      return route.fulfill({
        status: 503,
        headers: { 'content-type': 'application/problem+json', 'retry-after': '1' },
        body: JSON.stringify({
          type: 'about:blank',
          title: 'Service Unavailable',
          status: 503,
          detail: 'The database is unavailable; retry after Retry-After seconds.',
        }),
      });
    });

    // when a citizen is helped, and the read the page makes of that change is refused
    await command('/shifts/w-s1/assistance', {
      id: 'w-busy',
      serviceType: 'app_install',
      citizens: 1,
      occurredAt: hoursAgo(1),
    });
    await page.locator('#stale', { hasText: 'database' }).waitFor({ timeout: 20_000 });

    // then, with no further change, the page reads again and shows the citizen, banner gone
    await untilCitizensShown(page, before + 1);
    expect(await page.locator('#stale').isHidden()).toBe(true);
    expect(errors.filter((e) => !e.includes('503'))).toEqual([]);
    await context.close();
  }, 60_000);

  it("tells this year's drive from last year's of the same name and unit in its picker", async () => {
    // given a drive the ward runs every year under the same name
    const today = DateTime.now().setZone(zone);
    let position = 0;
    for (const [id, start] of [
      ['w-yearly-1', today.minus({ years: 1 })],
      ['w-yearly-2', today],
    ] as const)
      position = await command('/campaigns', {
        id,
        unitId: ids.ward,
        name: 'Tháng Thanh niên',
        startDate: start.toISODate(),
        endDate: start.plus({ days: 30 }).toISODate(),
        dailyWindow: { from: '07:00', to: '22:00' },
      });
    await readUpTo(position);

    // when a leader opens the page and looks through its picker
    const { page, errors, context } = await openPage(
      `/dashboard?campaign=w-c1#token=${viewerToken}`,
    );
    await page.locator('#picker option[value="w-yearly-2"]').waitFor({ state: 'attached' });
    const [last, current] = await Promise.all(
      ['w-yearly-1', 'w-yearly-2'].map((id) =>
        page.locator(`#picker option[value="${id}"]`).textContent(),
      ),
    );

    // then the two read differently, each with the year it ran in
    expect(last).not.toBe(current);
    expect(last).toContain(String(today.minus({ years: 1 }).year));
    expect(current).toContain(String(today.year));
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("says what a proxy's error page was, not that it failed to parse it as JSON", async () => {
    // given the page open, and a reverse proxy that answers its next read with its own HTML page
    // (502 while the API restarts behind it)
    const { page, errors, context } = await openPage(
      `/dashboard?campaign=w-c1#token=${viewerToken}`,
    );
    await page.route('**/campaigns/w-c1/progress*', (route) =>
      route.fulfill({
        status: 502,
        contentType: 'text/html',
        body: '<html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>',
      }),
    );

    // when the page reads its figures again
    await page.click('#settings button');
    const banner = page.locator('#stale');
    await banner.waitFor({ state: 'visible', timeout: 20_000 });

    // then its red banner names the answer the proxy gave, not a JavaScript parse error
    const said = (await banner.textContent()) ?? '';
    expect(said).toContain('502');
    expect(said).not.toMatch(/JSON|token/i);
    expect(errors.filter((e) => !e.includes('502'))).toEqual([]);
    await context.close();
  }, 60_000);

  it('names each of its tables by the heading above it, for a screen reader going table by table', async () => {
    // given the page showing a campaign
    const { page, context } = await openPage(`/dashboard?campaign=w-c1#token=${viewerToken}`);

    // then each table is named by its section's heading
    for (const heading of await page.locator('main section h2').allTextContents()) {
      const section = page.locator('main section', {
        has: page.locator('h2', { hasText: heading }),
      });
      if ((await section.locator('table').count()) === 0) continue;
      expect(await page.getByRole('table', { name: heading, exact: true }).count()).toBe(1);
    }
    expect(await page.getByRole('table').count()).toBe(3);
    await context.close();
  }, 60_000);

  it('names the campaign it shows in its title, which tabs, bookmarks and screen readers show', async () => {
    // given the page showing a campaign
    const { page, context } = await openPage(`/dashboard?campaign=w-c1#token=${viewerToken}`);

    // then its title names the campaign (isolated, as in the picker), beside what the page is
    expect(await page.title()).toBe(
      '\u2068Ngày hội chuyển đổi số\u2069 — Bảng theo dõi chiến dịch',
    );

    // and when the reader switches to English, so does the title
    await page.click('#lang');
    expect(await page.title()).toBe('\u2068Ngày hội chuyển đổi số\u2069 — Campaign dashboard');
    await context.close();
  }, 60_000);

  it('names its language button by what it shows, in the language it offers', async () => {
    const { page, context } = await openPage(`/dashboard?campaign=w-c1#token=${viewerToken}`);
    const button = page.locator('#lang');

    // given the page in Vietnamese, then the button's accessible name holds its visible text
    // (WCAG 2.5.3: a voice-control user says what they see)
    let visible = (await button.innerText()).trim();
    expect(await page.getByRole('button', { name: visible }).count()).toBe(1);
    expect(await button.getAttribute('lang')).toBe('en');

    // when the reader switches to English, then so it does for the way back
    await button.click();
    visible = (await button.innerText()).trim();
    expect(await page.getByRole('button', { name: visible }).count()).toBe(1);
    expect(await button.getAttribute('lang')).toBe('vi');
    await context.close();
  }, 60_000);
});
