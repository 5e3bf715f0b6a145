import { SignJWT } from 'jose';
import request from 'supertest';
import { createLogger, MAX_TOKEN_TTL_DAYS } from '#platform';
import { ProbeModule } from './probe.module.js';
import { logCollector } from './support/log-collector.js';
import { LiveListener } from './support/live-listener.js';
import { PROBLEM, startTestApp, TEST_JWT_SECRET, type TestApp } from './test-app.js';

/** A token signed with the server's own secret, carrying exactly the claims given (no `exp` unless set). */
function signed(claims: Record<string, string>, expiresIn?: string | number): Promise<string> {
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('t-1')
    .setIssuedAt();
  if (expiresIn) jwt = jwt.setExpirationTime(expiresIn);
  return jwt.sign(new TextEncoder().encode(TEST_JWT_SECRET));
}

/**
 * Issue 9, defect 6: a token without `exp` never expired; a coordinator token without `unitId` acted
 * on the whole tree; a 401 body's `instance` echoed `?access_token=<jwt>` back, and so did anything
 * logging it.
 */
describe('tokens: what the server accepts and what it never repeats', () => {
  let t: TestApp;
  // What the app logs, as a collector reads its standard output.
  const { stream: output, chunks: logged } = logCollector();
  beforeAll(async () => {
    t = await startTestApp('platform_token_rules', {
      imports: [ProbeModule],
      worker: false,
      log: createLogger({ level: 'info', format: 'json' }, output),
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses a validly signed token without exp with 401 problem+json', async () => {
    const forever = await signed({ role: 'operator' });
    for (const req of [
      request(t.server).get('/auth/whoami'),
      request(t.server).post('/units').send({ id: 'u-x', name: 'X', kind: 'ward' }),
    ]) {
      const res = await req.set('Authorization', `Bearer ${forever}`);
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.detail).toContain('exp');
    }
    // the same claims with an expiry are accepted
    const res = await request(t.server)
      .get('/auth/whoami')
      .set('Authorization', `Bearer ${await signed({ role: 'operator' }, '1h')}`);
    expect(res.status).toBe(200);
  });

  it.each(['coordinator', 'volunteer'])(
    'refuses a %s token without unitId with 401: API.md gives the whole tree to operators, auditors and viewers only',
    async (role) => {
      const unbounded = await signed({ role }, '1h');
      const read = await request(t.server)
        .get('/auth/whoami')
        .set('Authorization', `Bearer ${unbounded}`);
      const write = await request(t.server)
        .post('/units')
        .set('Authorization', `Bearer ${unbounded}`)
        .send({ id: 'u-y', name: 'Y', kind: 'ward' });
      for (const res of [read, write]) {
        expect(res.status).toBe(401);
        expect(res.headers['content-type']).toMatch(PROBLEM);
        expect(res.body.detail).toContain('unitId');
      }
    },
  );

  it('refuses with 401 a token whose exp lies further ahead than the longest lifetime the CLI mints', async () => {
    // given tokens signed with the server's secret, one valid until the year 4764 (what
    // `token --ttl 999999d` once minted), one a day past the limit, one at the limit itself
    const now = Math.floor(Date.now() / 1000);
    const day = 86_400;
    const millennia = await signed({ role: 'operator' }, now + 999_999 * day);
    const dayTooLong = await signed({ role: 'operator' }, now + (MAX_TOKEN_TTL_DAYS + 1) * day);
    const longest = await signed({ role: 'viewer' }, now + MAX_TOKEN_TTL_DAYS * day);

    // when each is presented
    const [far, past, limit] = await Promise.all(
      [millennia, dayTooLong, longest].map((token) =>
        request(t.server).get('/auth/whoami').set('Authorization', `Bearer ${token}`),
      ),
    );

    // then the two beyond the limit are bad tokens, and the one at the limit is accepted
    for (const res of [far!, past!]) {
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.detail).toContain(`${MAX_TOKEN_TTL_DAYS} days`);
    }
    expect(limit!.status).toBe(200);
  });

  it('refuses with 401 a token issued in the future beyond the clock tolerance, as one not yet valid', async () => {
    // given tokens signed with the server's secret, valid for an hour: one issued an hour from now (a
    // minting clock an hour fast), one 10 s from now (within the skew clocks are allowed), one without iat
    const now = Math.floor(Date.now() / 1000);
    const issued = (iat?: number) => {
      const jwt = new SignJWT({ role: 'operator' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('t-1')
        .setExpirationTime(now + 3600);
      return (iat === undefined ? jwt : jwt.setIssuedAt(iat)).sign(
        new TextEncoder().encode(TEST_JWT_SECRET),
      );
    };
    const tokens = await Promise.all([issued(now + 3600), issued(now + 10), issued()]);

    // when each is presented
    const [ahead, skewed, undated] = await Promise.all(
      tokens.map((token) =>
        request(t.server).get('/auth/whoami').set('Authorization', `Bearer ${token}`),
      ),
    );

    // then the one from the future is a bad token that says why; the others are taken
    expect(ahead!.status).toBe(401);
    expect(ahead!.headers['content-type']).toMatch(PROBLEM);
    expect(ahead!.body.detail).toContain('iat');
    expect(skewed!.status).toBe(200);
    expect(undated!.status).toBe(200);
  });

  it('never echoes a query-string token in a problem body, whatever the answer', async () => {
    const token = await signed({ role: 'viewer' }); // no exp: refused, and must not come back
    const valid = await signed({ role: 'operator' }, '1h');
    const answers = [
      await request(t.server).get(`/events/live?access_token=${token}`), // 401 on the stream
      await request(t.server).get(`/no/such/route?access_token=${valid}`), // 404
      await request(t.server).post(`/units?access_token=${valid}`).send({}), // commands: header only
      await request(t.server)
        .post(`/units?access_token=${valid}`)
        .set('Content-Type', 'text/plain')
        .send('x'), // 415 from the JSON-only middleware
      await request(t.server)
        .get(`/probe/domain/rule?access_token=${valid}`)
        .set('Authorization', `Bearer ${valid}`), // 422
    ];
    expect(answers.map((res) => res.status)).toEqual([401, 404, 401, 415, 422]);
    for (const res of answers) {
      expect(res.text).not.toContain(token);
      expect(res.text).not.toContain(valid);
      expect(res.text).not.toContain('access_token');
      expect(res.body.instance).not.toContain('?');
    }
  });

  it('never writes a query-string token into a log line, not even for a 500', async () => {
    const valid = await signed({ role: 'operator' }, '1h');
    const res = await request(t.server)
      .get(`/probe/boom?access_token=${valid}`)
      .set('Authorization', `Bearer ${valid}`);
    expect(res.status).toBe(500);
    expect(logged.join('')).toContain('/probe/boom'); // the failure is logged, by its path
    expect(logged.join('')).not.toContain(valid);
    expect(res.text).not.toContain(valid);
  });

  // Found by probing the API: a token signed with the server's secret whose sub held a NUL or a lone
  // surrogate passed, then every command was a 500 (PostgreSQL cannot store either in the event's
  // recordedBy), and so was /members for such a unitId; a sub of any length was recorded as it came.
  it.each([
    ['sub', { sub: 'a\u0000b', role: 'operator' }],
    ['sub', { sub: 'a\ud800b', role: 'operator' }],
    ['sub', { sub: 'x'.repeat(201), role: 'operator' }],
    // recorded as "Recorded by" in every audit CSV row it writes: a right-to-left override, an
    // escape sequence, or nothing visible at all
    ['sub', { sub: 'op-1\u202E', role: 'operator' }],
    ['sub', { sub: 'op\u001B[2J', role: 'operator' }],
    ['sub', { sub: '\u200B\u2060', role: 'operator' }],
    // a line break starts a forged line wherever the actor is printed on one (CLI, logs, CSVs)
    ['sub', { sub: 'op-1\nop-2', role: 'operator' }],
    ['unitId', { sub: 'c-1', role: 'coordinator', unitId: 'ward-a\r\tward-b' }],
    ['unitId', { sub: 'c-1', role: 'coordinator', unitId: 'ward-a\u0000' }],
    ['unitId', { sub: 'c-1', role: 'coordinator', unitId: 'ward-\udfffa' }],
  ])(
    'refuses a signed token whose %s no event could store, with 401 naming it',
    async (claim, claims) => {
      // given a token signed with the server's own secret, carrying such a claim
      const token = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(TEST_JWT_SECRET));

      // when it is used to write and to read
      const write = await request(t.server)
        .post('/units')
        .set('Authorization', `Bearer ${token}`)
        .send({ id: 'u-z', name: 'Z', kind: 'ward' });
      const read = await request(t.server)
        .get('/auth/whoami')
        .set('Authorization', `Bearer ${token}`);

      // then both are 401 problems naming the claim
      for (const res of [write, read]) {
        expect(res.status).toBe(401);
        expect(res.headers['content-type']).toMatch(PROBLEM);
        expect(res.body.detail).toContain(claim);
      }
    },
  );

  it('ends a live stream when its token stops being accepted, and not before', async () => {
    // given a stream opened with a token accepted for 5 s more (its exp 25 s ago, within the 30 s
    // the clocks are allowed), and one opened with an hour left
    const base = await t.url();
    const now = Math.floor(Date.now() / 1000);
    const ending = new LiveListener(base, await signed({ role: 'viewer' }, now - 25));
    const lasting = new LiveListener(base, await signed({ role: 'viewer' }, '1h'));
    try {
      // when its time comes
      await until(() => ending.closedAt !== undefined, 15_000);
      // then it had been told it was listening, was ended by the server, and the other goes on
      expect(ending.received('ready')).toBe(1);
      expect(ending.closedAt! - (now + 5) * 1000).toBeGreaterThan(-1_000);
      expect(lasting.received('ready')).toBe(1);
      expect(lasting.closedAt).toBeUndefined();
    } finally {
      ending.close();
      lasting.close();
    }
  });
});

async function until(condition: () => boolean, ms: number): Promise<void> {
  for (const started = Date.now(); !condition();) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
