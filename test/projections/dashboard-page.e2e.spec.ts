import type { AddressInfo } from 'node:net';
import { JSDOM } from 'jsdom';
import pg from 'pg';
import { DateTime } from 'luxon';
import request from 'supertest';
import { serverUrl } from '../harness/database.js';
import {
  hoursAgo,
  operator,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from '../commands/commands-kit.js';
import { browserEventSource } from './support/browser-event-source.js';

describe('the dashboard page', () => {
  let kit: CommandsKit;
  let base: string;
  let viewerToken: string;
  const doms: JSDOM[] = [];

  /** Sends a command; returns the position it was recorded at. */
  const command = async (path: string, body: object): Promise<number> => {
    const res = await kit.post(path, operator, body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.position;
  };
  /** The progress route once the projection has reached `position` (API.md's minPosition). */
  const progressAt = async (position: number) => {
    const res = await request(kit.server)
      .get(`/campaigns/d-c1/progress?minPosition=${position}`)
      .set('Authorization', `Bearer ${viewerToken}`);
    expect(res.status).toBe(200);
    return res.body;
  };
  /** Waits for the page to change by itself; the deadline only bounds a failure. */
  const eventually = async (what: string, test: () => boolean, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!test()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  /** Opens /dashboard?campaign=d-c1 in a tab that already holds the viewer's token. */
  const openPage = async () => {
    const html = (await request(kit.server).get('/dashboard')).text;
    const dom = new JSDOM(html, {
      url: `${base}/dashboard?campaign=d-c1`,
      runScripts: 'dangerously',
      beforeParse(window) {
        window.sessionStorage.setItem('token', viewerToken);
        Object.assign(window, {
          fetch: (input: string, init?: RequestInit) => fetch(new URL(input, base), init),
          EventSource: browserEventSource(base),
        });
      },
    });
    doms.push(dom);
    const page = dom.window.document;
    const figures = () => [...page.querySelectorAll('#totals .figure b')].map((b) => b.textContent);
    await eventually('the totals are shown', () => figures().length > 0);
    return { page, figures };
  };

  let recorded: number;
  beforeAll(async () => {
    kit = await startCommandsKit('dashboard_page', { worker: true });
    const ids = await seedTree(kit, 'd');
    const today = DateTime.now().setZone('Asia/Ho_Chi_Minh');
    await command('/campaigns', {
      id: 'd-c1',
      unitId: ids.ward,
      name: 'Ngày hội <b>CĐS</b>',
      startDate: today.minus({ days: 1 }).toISODate(),
      endDate: today.toISODate(),
      dailyWindow: { from: '00:00', to: '24:00' },
      goals: { citizensAssisted: 20 },
    });
    await command('/shifts', {
      id: 'd-s1',
      memberId: ids.member,
      campaignId: 'd-c1',
      location: 'TTHCC',
      startedAt: hoursAgo(3),
    });
    recorded = await command('/shifts/d-s1/assistance', {
      id: 'd-a1',
      serviceType: 'eid_activation',
      citizens: 4,
      occurredAt: hoursAgo(2),
    });
    viewerToken = (await kit.bearer({ sub: 'screen-1', role: 'viewer' })).replace(/^Bearer /, '');
    const server = kit.server.listening ? kit.server : kit.server.listen(0);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 120_000);
  afterAll(async () => {
    for (const dom of doms) dom.window.close();
    await kit?.close();
  });

  it('is served without a token, as API.md says', async () => {
    const res = await request(kit.server).get('/dashboard');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it("shows a campaign's progress with the viewer's token and follows it live", async () => {
    // given the projection has reached the last command, as the progress route says
    const progress = await progressAt(recorded);
    expect(progress.totals.citizensAssisted).toBe(4);

    // when the page is opened in a tab that already holds a viewer token
    const { page, figures } = await openPage();

    // then it shows the figures of the progress route, and the campaign's name as text, not markup
    expect(page.getElementById('title')!.textContent).toBe('Ngày hội <b>CĐS</b>');
    expect(figures()[0]).toBe(String(progress.totals.citizensAssisted));
    expect(page.querySelector('#totals .figure')!.textContent).toContain('20 % of 20');
    expect([...page.querySelectorAll('#board tbody td')].map((td) => td.textContent)).toEqual([
      '1',
      'Nguyễn Văn An',
      expect.any(String),
      '4',
    ]);

    // when more citizens are helped, the live stream brings the page up to date by itself
    const position = await command('/shifts/d-s1/assistance', {
      id: 'd-a2',
      serviceType: 'eid_activation',
      citizens: 6,
      occurredAt: hoursAgo(1),
    });
    expect((await progressAt(position)).totals.citizensAssisted).toBe(10);
    await eventually('the page shows the new total', () => figures()[0] === '10');
    expect(page.getElementById('status')!.className).toBe('');
  }, 60_000);

  it('catches up by itself when it was opened while the projection lagged behind', async () => {
    // given the feed is held back: a write transaction open elsewhere on the same PostgreSQL server
    // (the snapshot horizon is cluster-wide, README "Known limits")
    const holder = new pg.Client({ connectionString: serverUrl() });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_current_xact_id()');
      const before = (await progressAt(recorded)).totals.citizensAssisted;
      const position = await command('/shifts/d-s1/assistance', {
        id: 'd-a3',
        serviceType: 'eid_activation',
        citizens: 5,
        occurredAt: hoursAgo(1),
      });

      // when the page is opened before the projection reached that command
      const { figures } = await openPage();
      expect(figures()[0]).toBe(String(before));

      // then, once the feed moves on, the page shows the new figure without being reloaded
      await holder.query('COMMIT');
      expect((await progressAt(position)).totals.citizensAssisted).toBe(before + 5);
      await eventually('the page shows the new total', () => figures()[0] === String(before + 5));
    } finally {
      await holder.end();
    }
  }, 60_000);
});
