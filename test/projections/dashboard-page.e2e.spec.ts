import type { AddressInfo } from 'node:net';
import { JSDOM } from 'jsdom';
import { DateTime } from 'luxon';
import request from 'supertest';
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
  let dom: JSDOM | undefined;

  const command = async (path: string, body: object) => {
    const res = await kit.post(path, operator, body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  const eventually = async (what: string, test: () => boolean, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!test()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

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
    await command('/shifts/d-s1/assistance', {
      id: 'd-a1',
      serviceType: 'eid_activation',
      citizens: 4,
      occurredAt: hoursAgo(2),
    });
    const server = kit.server.listening ? kit.server : kit.server.listen(0);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 120_000);
  afterAll(async () => {
    dom?.window.close();
    await kit?.close();
  });

  it('is served without a token, as API.md says', async () => {
    const res = await request(kit.server).get('/dashboard');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it("shows a campaign's progress with the viewer's token and follows it live", async () => {
    // given the page opened in a browser tab that already holds a viewer token
    const token = (await kit.bearer({ sub: 'screen-1', role: 'viewer' })).replace(/^Bearer /, '');
    const html = (await request(kit.server).get('/dashboard')).text;
    dom = new JSDOM(html, {
      url: `${base}/dashboard?campaign=d-c1`,
      runScripts: 'dangerously',
      beforeParse(window) {
        window.sessionStorage.setItem('token', token);
        Object.assign(window, {
          fetch: (input: string, init?: RequestInit) => fetch(new URL(input, base), init),
          EventSource: browserEventSource(base),
        });
      },
    });
    const page = dom.window.document;
    const figures = () => [...page.querySelectorAll('#totals .figure b')].map((b) => b.textContent);

    // then it shows the figures of the progress route, and the campaign's name as text, not markup
    await eventually('the totals are shown', () => figures().length > 0);
    expect(page.getElementById('title')!.textContent).toBe('Ngày hội <b>CĐS</b>');
    expect(figures()[0]).toBe('4');
    expect(page.querySelector('#totals .figure')!.textContent).toContain('20 % of 20');
    expect([...page.querySelectorAll('#board tbody td')].map((td) => td.textContent)).toEqual([
      '1',
      'Nguyễn Văn An',
      expect.any(String),
      '4',
    ]);

    // when more citizens are helped, the live stream brings the page up to date by itself
    await command('/shifts/d-s1/assistance', {
      id: 'd-a2',
      serviceType: 'eid_activation',
      citizens: 6,
      occurredAt: hoursAgo(1),
    });
    await eventually('the page shows the new total', () => figures()[0] === '10');
    expect(page.getElementById('status')!.className).toBe('');
  }, 60_000);
});
