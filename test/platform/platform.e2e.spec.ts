import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { SignJWT } from 'jose';
import { createLogger, HealthService } from '#platform';
import { ProbeModule } from './probe.module.js';
import { logCollector } from './support/log-collector.js';
import { PROBLEM, rawExchange, startTestApp, type TestApp } from './test-app.js';

/** Each answer's status and the value of one of its headers, by the request that got it. */
const headers = (answers: Record<string, request.Response>, name: string) =>
  Object.fromEntries(
    Object.entries(answers).map(([asked, res]) => [asked, [res.status, res.headers[name]]]),
  );

describe('the platform around every route', () => {
  let t: TestApp;
  // What the app logs at warn and above, as a collector reads its standard output.
  const { stream: output, chunks: logged } = logCollector();
  beforeAll(async () => {
    t = await startTestApp('platform_e2e', {
      bodyLimit: 1024,
      imports: [ProbeModule],
      log: createLogger({ level: 'warn', format: 'json' }, output),
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers /health without a token, with the database reachable', async () => {
    const res = await request(t.server).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', database: { reachable: true } });
    expect(res.body.components.database.healthy).toBe(true);
  });

  it('does not tell which framework answers (no X-Powered-By)', async () => {
    const res = await request(t.server).get('/health');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('tells browsers and proxies to keep no answer given to a token', async () => {
    // given answers a token was shown: names of members (erasable), and who the token is
    const viewer = await t.bearer({ sub: 'screen-1', role: 'viewer' });
    const answers = {
      'GET /members': await request(t.server).get('/members?limit=1').set('Authorization', viewer),
      'GET /auth/whoami': await request(t.server).get('/auth/whoami').set('Authorization', viewer),
    };

    // then none may be stored, in a shared cache nor on the disk of the browser that read it (a
    // name erased since would still be there; README: opened names are never kept on disk)
    expect(headers(answers, 'cache-control')).toEqual({
      'GET /members': [200, 'no-store'],
      'GET /auth/whoami': [200, 'no-store'],
    });
    // and what anyone may load, the dashboard page, is still kept and revalidated as before
    expect((await request(t.server).get('/dashboard')).headers['cache-control']).toBeUndefined();
  });

  it('tags no answer with a digest of its body anyone could recompute', async () => {
    // given a member's name (erasable) in an answer, and the dashboard page
    const operator = await t.bearer({ sub: 'op-1', role: 'operator' });
    const enrolled = await request(t.server)
      .post('/units')
      .set('Authorization', operator)
      .send({ id: 'etag-ward', name: 'Phường ETag', kind: 'ward' })
      .then(() =>
        request(t.server)
          .post('/members')
          .set('Authorization', operator)
          .send({ id: 'etag-m1', unitId: 'etag-ward', displayName: 'Nguyễn Thị Zzqx' }),
      );
    expect(enrolled.status).toBe(201);
    const answers = [
      await request(t.server)
        .get(`/members?unitId=etag-ward&minPosition=${enrolled.body.position}`)
        .set('Authorization', operator),
      await request(t.server).get('/dashboard'),
    ];
    expect(answers[0]!.text).toContain('Nguyễn Thị Zzqx');

    // then an ETag is not Express's SHA-1 of the body: a proxy or an APM that logged the header
    // would hold a hash of the name to match guesses against, also once the name is erased
    const unkeyed = (body: string) =>
      `W/"${Buffer.byteLength(body).toString(16)}-${createHash('sha1').update(body).digest('base64').slice(0, 27)}"`;
    for (const res of answers) {
      expect(res.status).toBeLessThan(300);
      expect(res.headers.etag).not.toBe(unkeyed(res.text));
    }
    // and the dashboard page keeps a validator a browser revalidates with
    const page = answers[1]!;
    expect(page.headers.etag).toEqual(expect.any(String));
    const again = await request(t.server)
      .get('/dashboard')
      .set('If-None-Match', page.headers.etag as string);
    expect(again.status).toBe(304);
  });

  it('tells browsers to take every answer for its declared type, and not to frame any', async () => {
    // given answers of every kind: JSON, a problem, the dashboard page and its script, /docs, and a
    // refusal written before any route is found
    const answers = {
      'GET /health': await request(t.server).get('/health'),
      'GET /campaigns': await request(t.server).get('/campaigns'),
      'GET /dashboard': await request(t.server).get('/dashboard'),
      'GET /dashboard/app.js': await request(t.server).get('/dashboard/app.js'),
      'GET /docs': await request(t.server).get('/docs'),
      'POST /units': await request(t.server)
        .post('/units')
        .set('Content-Type', 'text/html')
        .send('<b>x</b>'),
    };

    // then none may be sniffed into another type (a JSON body quoting a name someone typed stays
    // JSON), and none may be shown inside another site's frame (/docs' "Try it out" clicked blind)
    expect(headers(answers, 'x-content-type-options')).toEqual({
      'GET /health': [200, 'nosniff'],
      'GET /campaigns': [401, 'nosniff'],
      'GET /dashboard': [200, 'nosniff'],
      'GET /dashboard/app.js': [200, 'nosniff'],
      'GET /docs': [200, 'nosniff'],
      'POST /units': [415, 'nosniff'],
    });
    expect(Object.values(headers(answers, 'x-frame-options')).map(([, value]) => value)).toEqual(
      Array(6).fill('DENY'),
    );
  });

  it('answers 503 with the failing component while one is unhealthy', async () => {
    const health = t.app.get(HealthService);
    health.register('probe', async () => {
      throw new Error('broker unreachable');
    });
    try {
      const res = await request(t.server).get('/health');
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({
        status: 'unavailable',
        database: { reachable: true },
        components: { probe: { healthy: false, error: 'broker unreachable' } },
      });
    } finally {
      health.unregister('probe');
    }
    expect((await request(t.server).get('/health')).status).toBe(200);
  });

  it('serves the OpenAPI document listing its paths, with the bearer scheme and the problem schema', async () => {
    const res = await request(t.server).get('/docs-json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/health', '/metrics']));
    expect(res.body.components.securitySchemes.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    expect(res.body.components.schemas.Problem.required).toEqual([
      'type',
      'title',
      'status',
      'detail',
    ]);
    const probe = res.body.paths['/probe/validate'].post;
    expect(Object.keys(probe.responses)).toEqual(
      expect.arrayContaining(['400', '401', '403', '413', '415', '500']),
    );
    expect(probe.responses['401'].content['application/problem+json'].schema).toEqual({
      $ref: '#/components/schemas/Problem',
    });
    expect(res.body.paths['/health'].get.security).toEqual([]);
    expect((await request(t.server).get('/docs')).status).toBe(200);
  });

  it('serves Prometheus metrics to any valid token, and to no one without', async () => {
    await request(t.server).get('/health');
    const anonymous = await request(t.server).get('/metrics');
    const res = await request(t.server)
      .get('/metrics')
      .set('Authorization', await t.bearer({ sub: 'prometheus', role: 'viewer' }));
    expect(anonymous.status).toBe(401);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toContain('process_cpu_user_seconds_total');
    expect(res.text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/health",status="200"\}/,
    );
  });

  it('refuses a protected route without a token with 401 problem+json', async () => {
    const res = await request(t.server).get('/auth/whoami');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.body).toMatchObject({
      type: expect.stringMatching(/\/problems\/unauthorized$/),
      title: 'Unauthorized',
      status: 401,
    });
    expect(res.body.detail).toMatch(/bearer token/i);
  });

  it.each([
    [
      'a token signed with another secret',
      async () =>
        `Bearer ${await new SignJWT({ role: 'operator' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setExpirationTime('1h').sign(new TextEncoder().encode('another-secret-0123456789abcdef'))}`,
    ],
    [
      'an expired token',
      async () =>
        `Bearer ${await new SignJWT({ role: 'operator' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('x')
          .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
          .sign(new TextEncoder().encode('test-secret-of-sufficient-length-0123456789'))}`,
    ],
    [
      'a token with an unknown role',
      async () =>
        `Bearer ${await new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setExpirationTime('1h').sign(new TextEncoder().encode('test-secret-of-sufficient-length-0123456789'))}`,
    ],
    ['garbage', async () => 'Bearer not.a.jwt'],
    ['another scheme', async () => 'Basic dXNlcjpwYXNz'],
  ])('refuses %s with 401', async (_name, header) => {
    const res = await request(t.server)
      .get('/auth/whoami')
      .set('Authorization', await header());
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(PROBLEM);
  });

  it('answers an unknown route with 404 problem+json', async () => {
    const res = await request(t.server)
      .get('/no/such/route')
      .set('Authorization', await t.bearer({ sub: 'op', role: 'operator' }));
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({
      status: 404,
      title: 'Not Found',
      detail: 'No route GET /no/such/route.',
      instance: '/no/such/route',
    });
  });

  // Found by probing the logs: the request's own line names its route, but the error line of a 500
  // named the path as the client typed it, an ID number or a member's name in it included.
  it('logs an unexpected failure by its route, never by the path the client typed', async () => {
    // given a route that fails unexpectedly
    // when a client calls it with a citizen's ID number in the path
    const res = await request(t.server)
      .get('/probe/boom/079203001234')
      .set('Authorization', await t.bearer({ sub: 'op', role: 'operator' }));
    // then it answers 500, and the failure is an error line naming the route, with its stack
    expect(res.status).toBe(500);
    const errors = logged
      .join('')
      .split('\n')
      .filter((l) => l.includes('"context":"Problem"'));
    expect(errors).toHaveLength(1);
    expect(JSON.parse(errors[0]!)).toMatchObject({
      level: 50,
      msg: expect.stringMatching(
        /^GET \/probe\/boom\/:ref: Error: connection to 10\.0\.0\.7[^]*\n +at /,
      ),
    });
    // and the number is nowhere in the log
    expect(logged.join('')).not.toContain('079203001234');
  });

  it('answers malformed JSON with 400 problem+json', async () => {
    const res = await request(t.server)
      .post('/probe/validate')
      .set('Authorization', await t.bearer({ sub: 'op', role: 'operator' }))
      .set('Content-Type', 'application/json')
      .send('{"name": "Đoàn phường 1", ');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({
      type: expect.stringMatching(/\/problems\/malformed-json$/),
      status: 400,
    });
  });

  it('answers a body over the limit with 413 problem+json', async () => {
    const res = await request(t.server)
      .post('/probe/validate')
      .set('Authorization', await t.bearer({ sub: 'op', role: 'operator' }))
      .send({ name: 'x'.repeat(2048), kind: 'ward' });
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ status: 413, title: 'Content Too Large' });
    expect(res.body.detail).toContain('1024');
  });

  it('refuses a body that is not JSON with 415 problem+json', async () => {
    const res = await request(t.server)
      .post('/probe/validate')
      .set('Authorization', await t.bearer({ sub: 'op', role: 'operator' }))
      .set('Content-Type', 'text/plain')
      .send('name=x');
    expect(res.status).toBe(415);
    expect(res.headers['content-type']).toMatch(PROBLEM);
  });

  it('reads a gzip body, and answers one that does not inflate or inflates past the limit as problems', async () => {
    // (fetch, not supertest: superagent writes a Buffer sent as JSON as the JSON of the Buffer)
    const base = await t.url();
    const authorization = await t.bearer({ sub: 'op', role: 'operator' });
    const post = async (bytes: Buffer) => {
      const headers = {
        authorization,
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      };
      const res = await fetch(`${base}/probe/validate`, { method: 'POST', headers, body: bytes });
      return {
        status: res.status,
        type: res.headers.get('content-type'),
        body: (await res.json()) as { type?: string },
      };
    };
    // given a body compressed as it says, one that says gzip but is not, and a small one inflating to 1 MB
    const body = { name: 'Đoàn phường 1', kind: 'ward' };
    const fine = await post(gzipSync(JSON.stringify(body)));
    const corrupt = await post(Buffer.from(JSON.stringify(body)));
    const bomb = await post(gzipSync(`{"name":"${' '.repeat(1_000_000)}"}`));
    // then the first is read like any body; the others are refused by name, not with a 500
    expect(fine).toMatchObject({ status: 201, body: { body } });
    expect(corrupt).toMatchObject({ status: 400, type: expect.stringMatching(PROBLEM) });
    expect(corrupt.body.type).toMatch(/\/problems\/malformed-body$/);
    expect(bomb).toMatchObject({ status: 413, type: expect.stringMatching(PROBLEM) });
  });

  it('answers requests the HTTP parser refuses (headers too large, not HTTP) with problem+json', async () => {
    // given the server on a port of its own, and raw requests no route ever sees
    const port = Number(new URL(await t.url()).port);
    const longUrl = `/leaderboards/members?${'metric=verifiedHours&'.repeat(2_000)}`;
    // when they are sent
    const headersTooLarge = await rawExchange(port, `GET ${longUrl} HTTP/1.1\r\nHost: x\r\n\r\n`);
    const notHttp = await rawExchange(port, 'HELLO THERE\r\n\r\n');
    // then each gets its status with a problem body naming what was wrong, and the connection closes
    for (const [answer, status, type] of [
      [headersTooLarge, 431, 'headers-too-large'],
      [notHttp, 400, 'malformed-request'],
    ] as const) {
      const [head, body] = answer.split('\r\n\r\n');
      expect(head).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
      expect(head).toMatch(/\r\nContent-Type: application\/problem\+json/i);
      // and, like every other answer (README), it may be neither sniffed nor framed
      expect(head).toMatch(/\r\nX-Content-Type-Options: nosniff\r\n/i);
      expect(head).toMatch(/\r\nX-Frame-Options: DENY\r\n/i);
      expect(JSON.parse(body!)).toMatchObject({ status, type: expect.stringMatching(type) });
    }
    // and each is a log line (without the URL, which may carry a token) and a count in /metrics
    const lines = logged
      .join('')
      .split('\n')
      .filter((l) => l.includes('refused by the HTTP parser'));
    expect(lines.map((l) => (JSON.parse(l) as { status: number }).status).sort()).toEqual([
      400, 431,
    ]);
    expect(lines.join('')).not.toContain('verifiedHours');
    const metrics = await request(t.server)
      .get('/metrics')
      .set('Authorization', await t.bearer({ sub: 'prometheus', role: 'viewer' }));
    expect(metrics.text).toMatch(/http_parser_refusals_total\{status="431"\} 1\b/);
    expect(metrics.text).toMatch(/http_parser_refusals_total\{status="400"\} 1\b/);
  });

  it("has Node build every request and response on Express's prototypes, so that Express need not set them", async () => {
    // given the API's HTTP server, watched before Express sees a request
    const express = t.app.getHttpAdapter().getInstance() as { request: object; response: object };
    const built: { request?: object; response?: object } = {};
    const watch = (req: object, res: object) => {
      built.request = Object.getPrototypeOf(req) as object;
      built.response = Object.getPrototypeOf(res) as object;
    };
    (t.server as Server).prependListener('request', watch);
    try {
      // when a request arrives
      await request(t.server).get('/health').expect(200);
    } finally {
      (t.server as Server).off('request', watch);
    }

    // then both objects were built on the prototypes Express gives them: its setPrototypeOf, after
    // which V8 promoted what they held out of the young generation, changes nothing
    expect(built.request).toBe(express.request);
    expect(built.response).toBe(express.response);
  });
});
