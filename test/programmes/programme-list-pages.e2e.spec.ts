import request from 'supertest';
import { PROBLEM, startCommandsKit, type CommandsKit } from '../commands/commands-kit.js';

/**
 * GET /units/:id/programmes answered every programme of the period at once: 20,000 programmes, which
 * one coordinator records in a minute and a half, made each answer 15 MB, and fifty concurrent reads
 * held the process until /health answered 503. The list comes a page at a time (at most 500, `next`
 * to go on); the totals still count the whole period.
 */
describe("a unit's programmes, a page at a time", () => {
  let kit: CommandsKit;
  let last = 0;
  const count = 503;
  const get = async (query: string) =>
    request(kit.server)
      .get(`/units/pl-ward/programmes?minPosition=${last}${query}`)
      .set('Authorization', await kit.bearer({ sub: 'v-1', role: 'viewer' }));

  beforeAll(async () => {
    kit = await startCommandsKit('programme_pages', { worker: true });
    await kit.record('/units', { id: 'pl-ward', name: 'Đoàn phường', kind: 'ward' });
    for (let i = 0; i < count; i++) {
      const day = String(1 + (i % 28)).padStart(2, '0');
      const { position } = await kit.record('/programmes', {
        id: `pl-${String(i).padStart(3, '0')}`,
        unitId: 'pl-ward',
        kind: 'training',
        title: 'Tập huấn VNeID',
        startsAt: `2025-03-${day}T08:00:00+07:00`,
        attendees: { members: 2, citizens: 3 },
      });
      last = Math.max(last, position);
    }
  });
  afterAll(async () => {
    await kit?.close();
  });

  it(`given ${count} programmes, when the list is read without a limit, then 500 come with a next and the totals count all ${count}`, async () => {
    const res = await get('');
    expect(res.status).toBe(200);
    expect(res.body.programmes).toHaveLength(500);
    expect(res.body.next).toBe(res.body.programmes[499].programmeId);
    expect(res.body.totals).toEqual({ programmes: count, members: 2 * count, citizens: 3 * count });
  });

  it('given the same programmes, when every page is followed, then each programme comes once, oldest first', async () => {
    const seen: { programmeId: string; startsAt: string }[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const res = await get(`&limit=200${after ? `&after=${after}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.programmes.length).toBeLessThanOrEqual(200);
      seen.push(...res.body.programmes);
      after = res.body.next;
      pages++;
    } while (after !== undefined && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen.map((p) => p.programmeId)).size).toBe(count);
    const order = seen.map((p) => `${p.startsAt} ${p.programmeId}`);
    expect(order).toEqual([...order].sort());
  });

  // Found by probing the API: an `after` that names no programme answered 200 with an empty page and
  // no `next`, which a client following its cursor reads as the end of the list.
  it('given the same programmes, when after names no programme, then 404 names it', async () => {
    const res = await get('&after=pl-999');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.detail).toContain('after pl-999');
  });

  it('given the same programmes, when after names the last one, then an empty last page', async () => {
    // the last in the list's order: the latest day, then the greatest id
    const day = (i: number) => i % 28;
    const final = Array.from({ length: count }, (_, i) => i).sort(
      (a, b) => day(a) - day(b) || a - b,
    )[count - 1]!;
    const res = await get(`&after=pl-${String(final).padStart(3, '0')}`);
    expect(res.status).toBe(200);
    expect(res.body.programmes).toEqual([]);
    expect(res.body.next).toBeUndefined();
  });

  it('given the same programmes, when a page larger than 500 is asked for, then 400 names limit', async () => {
    const res = await get('&limit=501');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'limit' })]);
  });
});
