import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { campaignStreamId, eventSchemaVersions } from '#domain';
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { signToken } from '#platform';
import { startCommandsKit, type CommandsKit } from '../commands/commands-kit.js';
import { TEST_JWT_SECRET } from '../platform/test-app.js';
import { collectPageErrors, launchBrowser } from './support/browser.js';

/**
 * Text the page shows but did not write itself: names anyone with a command token typed, and the
 * campaign id of a link anyone can send. Markup in names is covered by dashboard-page.e2e.spec.ts;
 * this is about text that reads as something else.
 */
describe('the dashboard page shown hostile text', () => {
  let kit: CommandsKit;
  let browser: Browser;
  let base: string;
  let viewerToken: string;

  beforeAll(async () => {
    kit = await startCommandsKit('dashboard_hostile', { worker: true });
    browser = await launchBrowser();
    const today = DateTime.now().setZone('Asia/Ho_Chi_Minh');
    await kit.record('/units', { id: 'h-ward', name: 'Phường Bến Nghé', kind: 'ward' });
    // a right-to-left override left open at the end of the campaign's name: the gate refuses one
    // now (free-text-gate.e2e), so it is stored as an older gate let it in, straight into the log
    const at = new Date().toISOString();
    const { position } = await kit.store.append(
      campaignStreamId('h-c1'),
      [
        {
          eventId: randomUUID(),
          type: 'CampaignLaunched',
          schemaVersion: eventSchemaVersions.CampaignLaunched,
          data: {
            campaignId: 'h-c1',
            unitId: 'h-ward',
            name: 'Ngày hội \u202E',
            timezone: 'Asia/Ho_Chi_Minh',
            startDate: today.minus({ days: 1 }).toISODate(),
            endDate: today.plus({ days: 1 }).toISODate(),
            dailyWindow: { from: '00:00', to: '24:00' },
            goals: {},
            serviceTypes: null,
          },
          metadata: {
            occurredAt: at,
            recordedAt: at,
            recordedBy: 'op-1',
            commandId: 'h-c1',
            correlationId: 'h-c1',
            causationId: null,
          },
        },
      ],
      { expectedVersion: 'no_stream' },
    );
    // a skill code the page has no label for, spelt like a property every JavaScript object has
    await kit.record('/members', { id: 'h-m1', unitId: 'h-ward', displayName: 'Trần Thị Bình' });
    await kit.record('/members/h-m1/skills', {
      skill: 'constructor',
      attainedAt: today.minus({ hours: 3 }).toISO(),
    });
    viewerToken = await signToken({ sub: 'screen-h', role: 'viewer' }, TEST_JWT_SECRET);
    // the campaign list is read from the projection that answers this
    const res = await request(kit.server)
      .get(`/campaigns/h-c1/progress?minPosition=${position}`)
      .set('Authorization', `Bearer ${viewerToken}`);
    expect(res.status).toBe(200);
    base = await kit.url();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await kit?.close();
  });

  it("keeps a name's right-to-left override from turning the unit name after it around", async () => {
    // given a campaign whose name ends in an open right-to-left override

    // when its leader opens the page
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    const errors = collectPageErrors(page);
    await page.goto(`${base}/dashboard?campaign=h-c1#token=${viewerToken}`);
    const option = page.locator('#picker option[value="h-c1"]');
    await option.waitFor({ state: 'attached', timeout: 20_000 });

    // then the picker's line, laid out as the browser lays it out, shows the unit name left to
    // right: its first letter lies left of its last
    const [first, last] = (await page.evaluate(`(() => {
      const name = 'Phường Bến Nghé';
      const line = document.body.appendChild(document.createElement('span'));
      line.textContent = document.querySelector('#picker option[value="h-c1"]').textContent;
      const text = line.firstChild, start = text.data.indexOf(name);
      const x = (offset) => {
        const range = document.createRange();
        range.setStart(text, offset);
        range.setEnd(text, offset + 1);
        return range.getBoundingClientRect().left;
      };
      return [x(start), x(start + name.length - 1)];
    })()`)) as [number, number];
    expect(first).toBeLessThan(last);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("does not read, nor show in its alert, a link's campaign that is no campaign id", async () => {
    // given a link whose campaign is a sentence (the 404 would echo it into the red banner)
    const lure = 'Mã đã hết hạn. Gọi 0900 000 000 để được cấp lại';
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    const reads: string[] = [];
    page.on('request', (r) => reads.push(new URL(r.url()).pathname));

    // when someone opens it
    await page.goto(`${base}/dashboard?campaign=${encodeURIComponent(lure)}#token=${viewerToken}`);
    const banner = page.locator('#stale');
    await banner.waitFor({ state: 'visible', timeout: 20_000 });

    // then the banner says what a campaign id is, in its own words, and nothing was read for it
    expect(await banner.textContent()).not.toContain('0900');
    expect(await banner.textContent()).toContain('Mã chiến dịch không hợp lệ');
    expect(reads.filter((path) => path.includes('0900'))).toEqual([]);

    // and says it again in English when asked to
    await page.click('#lang');
    expect(await banner.textContent()).toContain('Not a campaign id');
    await page.close();
  });

  it("does not repeat in its alert a link's campaign that is shaped like an id but names none", async () => {
    // given a link whose campaign passes for an id and is a message (the 404 names the id it missed)
    const lure = 'Goi-0900000000-de-cap-lai-ma';
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });

    // when someone opens it
    await page.goto(`${base}/dashboard?campaign=${lure}#token=${viewerToken}`);
    const banner = page.locator('#stale');
    await banner.waitFor({ state: 'visible', timeout: 20_000 });

    // then the banner says, in its own words, that no campaign has that id
    expect(await banner.textContent()).not.toContain('0900');
    expect(await banner.textContent()).toContain('Không có chiến dịch nào');

    // and so it does in English
    await page.click('#lang');
    expect(await banner.textContent()).toContain('No campaign has the id');
    expect(await banner.textContent()).not.toContain('0900');
    await page.close();
  });

  it("names an erased member in the page's language", async () => {
    // given a member of the ward who assisted a citizen in the campaign, then had their data erased
    await kit.record('/members', { id: 'h-m2', unitId: 'h-ward', displayName: 'Lê Văn Cường' });
    const now = DateTime.now();
    const shift = await kit.record('/shifts', {
      memberId: 'h-m2',
      campaignId: 'h-c1',
      location: 'Nhà văn hoá',
      startedAt: now.minus({ minutes: 30 }).toISO(),
    });
    await kit.record(`/shifts/${shift.id}/assistance`, {
      serviceType: 'eid_activation',
      occurredAt: now.minus({ minutes: 10 }).toISO(),
    });
    const { position } = await kit.record('/members/h-m2/personal-data', undefined, 'delete');
    const board = await request(kit.server)
      .get(`/leaderboards/members?metric=citizensAssisted&campaignId=h-c1&minPosition=${position}`)
      .set('Authorization', `Bearer ${viewerToken}`);
    expect(board.body.entries).toEqual([
      expect.objectContaining({ memberId: 'h-m2', displayName: '(erased)' }),
    ]);

    // when the leader opens the page, in Vietnamese, then in English
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    await page.goto(`${base}/dashboard?campaign=h-c1#token=${viewerToken}`);
    const row = page.locator('#board tbody tr').first();
    await row.waitFor({ timeout: 20_000 });
    const vietnamese = await row.textContent();
    await page.click('#lang');
    const english = await row.textContent();

    // then the board says the member's data was erased in the language it is read in
    expect(vietnamese).toContain('(đã xoá)');
    expect(vietnamese).not.toContain('(erased)');
    expect(english).toContain('(erased)');
    expect(`${vietnamese}${english}`).not.toContain('Cường');
    await page.close();
  });

  it('shows a skill code it has no label for as the code itself, whatever it is spelt like', async () => {
    // given a member of the launching ward with the skill "constructor" (a valid skill code)

    // when the leader opens the page
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    const errors = collectPageErrors(page);
    await page.goto(`${base}/dashboard?campaign=h-c1#token=${viewerToken}`);
    const row = page.locator('[data-skill="constructor"]');
    await row.waitFor({ timeout: 20_000 });

    // then its row names the code, not what JavaScript objects inherit under that name
    expect(await row.locator('span').first().textContent()).toBe('constructor');
    expect(await row.textContent()).toContain('100 %');
    expect(errors).toEqual([]);
    await page.close();
  });
});
