import type { Actor } from '#platform';
import { PROBLEM, startCommandsKit, type CommandsKit } from './commands-kit.js';

const auditor: Actor = { sub: 'auditor-1', role: 'auditor' };

// Query parameters go through the same value types as bodies (#domain values.ts): a period outside
// the years 2000–2099, an offset beyond −12:00..+14:00 or a zone that is no IANA name is a 400 that
// names the parameter, on every route that reads a period.
describe('periods in query strings are checked by the domain value types', () => {
  let kit: CommandsKit;
  beforeAll(async () => {
    kit = await startCommandsKit('query_value_ranges');
  });
  afterAll(() => kit?.close());

  const get = (path: string) => kit.send('get', path, auditor);

  it.each([
    ['from', 'from=9999-01-01'],
    ['from', 'from=0000-01-01'],
    ['to', 'to=2025-08-09T07:00:00%2B16:00'],
    ['to', 'to=2025-08-09T07:00:00%2B07'],
    ['from', 'from=2025-02-30'],
    ['tz', 'from=2025-08-09&tz=%2B07:00'],
    ['tz', 'from=2025-08-09&tz=Mars/Olympus'],
  ])('refuses %s in %p', async (field, query) => {
    for (const path of [
      '/leaderboards/members?metric=verifiedHours&',
      '/audit/members/m1/hours?',
    ]) {
      const res = await get(`${path}${query}`);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
  });

  it('says how to send an offset whose + arrived as a space', async () => {
    // given an instant whose offset was written with a bare + in the URL, which a query string reads
    // as a space
    for (const path of [
      '/leaderboards/members?metric=verifiedHours&',
      '/audit/members/m1/hours?',
    ]) {
      // when a period route is asked for it
      const res = await get(`${path}from=2025-09-01T00:00:00+07:00`);
      // then the 400 names the parameter and says to encode the +
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        expect.objectContaining({ field: 'from', message: expect.stringContaining('%2B') }),
      ]);
    }
  });

  it.each(['0x10', '%20%201', '1e1', '%2B5', '1.0', '-1', '0', '501', ''])(
    'refuses limit=%s, naming the parameter, on every paged route',
    async (limit) => {
      // given a page size that is not a whole number from 1 to 500 written in decimal digits
      for (const path of [
        '/leaderboards/members?metric=verifiedHours&',
        '/leaderboards/units?metric=clubs&',
        '/members?',
        '/campaigns?',
      ]) {
        // when a paged route is asked for it
        const res = await get(`${path}limit=${limit}`);
        // then it is refused like any other out-of-range value, rather than read as another number
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toMatch(PROBLEM);
        expect(res.body.errors).toEqual([expect.objectContaining({ field: 'limit' })]);
      }
    },
  );

  it.each([
    ['after', '/members?after=%FF'],
    ['unitId', '/members?unitId=a%ED%A0%80b'],
    ['after', '/members?limit=5&after=x%'],
    ['from', '/units/u1/programmes?from=2025-08-01%C0%AF'],
    ['campaignId', '/leaderboards/members?metric=verifiedHours&campaignId=%E1%BA'],
  ])('refuses %s that is not percent-encoded UTF-8, naming it (%s)', async (field, path) => {
    // given a parameter whose bytes encode no character (a byte no sequence starts with, an encoded
    // surrogate, a stray %, an overlong form, a sequence cut short)
    // when a read route is asked for it
    const res = await get(path);
    // then it is refused naming the parameter, rather than read as U+FFFD or as typed
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.errors).toEqual([expect.objectContaining({ field })]);
    expect(res.text).not.toContain('\uFFFD');
  });

  it.each([
    '/units/%ZZ/summary',
    '/campaigns/a%FFb/progress',
    '/audit/members/%ED%A0%80/hours',
    '/audit/streams/shift-%E1%BA/verify',
  ])('refuses a path id that is not percent-encoded UTF-8, naming the path (%s)', async (path) => {
    // given a route whose id is bytes that encode no character
    // when it is read
    const res = await get(path);
    // then it is refused like such a query parameter: a 400 naming what was wrong, not its value
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.errors).toEqual([
      { field: '(path)', message: expect.stringContaining('percent-encoded UTF-8') },
    ]);
  });

  it('reads a page size written in decimal digits', async () => {
    const res = await get('/leaderboards/units?metric=clubs&limit=7');
    expect(res.status).toBe(200);
  });

  it('refuses at once a minPosition beyond what a position can be (2^63 − 1)', async () => {
    // given a position no log reaches: PostgreSQL's bigint, which positions are, ends at 2^63 − 1
    // when a read asks to wait for it
    const res = await get('/leaderboards/members?minPosition=9223372036854775808');
    // then it is refused as invalid, rather than answered 504 "retry later" after waiting 5 s
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'minPosition' })]);
  });
});
