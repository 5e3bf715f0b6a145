import request from 'supertest';
import { buildGoProgram } from '../harness/go-program.js';
import { startTestApp, type TestApp } from './test-app.js';

type Operation = {
  description?: string;
  requestBody?: { required?: boolean };
  parameters?: { in: string; name: string; required?: boolean }[];
  responses: Record<
    string,
    { content?: Record<string, { schema?: unknown; example?: { status?: number } }> }
  >;
};

/** Every operation of the document, as `METHOD path` → operation. */
async function operations(t: TestApp): Promise<[string, Operation][]> {
  const res = await request(t.server).get('/docs-json');
  expect(res.status).toBe(200);
  return Object.entries(res.body.paths as Record<string, Record<string, Operation>>).flatMap(
    ([path, item]) =>
      Object.entries(item).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op] as const),
  ) as [string, Operation][];
}

describe('/docs, as a client developer reads it', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('openapi_docs', { worker: false });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is valid OpenAPI 3 for a validator nobody here wrote (kin-openapi, test/openapi-check)', async () => {
    // given the document as client generators fetch it
    const document = await request(t.server).get('/docs-json');
    expect(document.status).toBe(200);

    // when kin-openapi loads and validates it
    const validator = buildGoProgram(
      'test/openapi-check',
      'the /docs suite validates the OpenAPI document with github.com/getkin/kin-openapi',
    );
    const checked = (() => {
      try {
        return validator.run(document.text);
      } finally {
        validator.remove();
      }
    })();

    // then it finds nothing wrong (a default of the wrong type, a broken $ref, a bad pattern…)
    expect(checked.stderr).toBe('');
    expect(checked.ok).toBe(true);
  });

  it('serves the same document as YAML, and answers 304 to a client that holds it already', async () => {
    // given the document as JSON and as YAML
    const json = await request(t.server).get('/docs-json');
    const yaml = await request(t.server).get('/docs-yaml');
    expect(yaml.status).toBe(200);
    expect(yaml.headers['content-type']).toMatch(/^text\/yaml/);

    // when kin-openapi loads each (it reads both forms)
    const validator = buildGoProgram(
      'test/openapi-check',
      'the /docs suite validates the OpenAPI document with github.com/getkin/kin-openapi',
    );
    const [fromJson, fromYaml] = (() => {
      try {
        return [validator.run(json.text), validator.run(yaml.text)];
      } finally {
        validator.remove();
      }
    })();

    // then both are valid and it finds the same version and paths in each
    expect(fromYaml.ok).toBe(true);
    expect(fromYaml.stdout).toBe(fromJson.stdout);

    // and a client sending back the ETag it was given is told it has the document
    for (const [path, first] of [
      ['/docs-json', json],
      ['/docs-yaml', yaml],
    ] as const) {
      expect(first.headers.etag).toMatch(/^"/);
      const again = await request(t.server).get(path).set('If-None-Match', first.headers.etag!);
      expect({ path, status: again.status }).toEqual({ path, status: 304 });
    }
  });

  it('never demands the Idempotency-Key header, so that "Try it out" runs', async () => {
    for (const [route, op] of await operations(t)) {
      const keys = (op.parameters ?? []).filter((p) => p.name.toLowerCase() === 'idempotency-key');
      expect({ route, keys: keys.length, required: keys.some((k) => k.required) }).toEqual({
        route,
        keys: keys.length ? 1 : 0,
        required: false,
      });
    }
  });

  it('gives every error an example body with its own status', async () => {
    let checked = 0;
    for (const [route, op] of await operations(t)) {
      for (const [status, response] of Object.entries(op.responses)) {
        const problem = response.content?.['application/problem+json'];
        if (!problem) continue;
        checked++;
        expect({ route, status, example: problem.example?.status }).toEqual({
          route,
          status,
          example: Number(status),
        });
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('says who may call every route, and gives every JSON read its answer schema', async () => {
    const ops = await operations(t);
    for (const [route, op] of ops)
      expect({ route, who: op.description?.includes('**Who may call:**') }).toEqual({
        route,
        who: true,
      });
    const described = Object.fromEntries(ops);
    expect(described['POST /shifts/{id}/verify']!.description).toContain('never their own');
    expect(described['GET /audit/members/{id}/hours']!.description).toContain('auditor, operator');
    for (const route of [
      'GET /campaigns',
      'GET /campaigns/{id}/progress',
      'GET /leaderboards/members',
      'GET /leaderboards/units',
      'GET /units/{id}/summary',
      'GET /audit/members/{id}/hours',
      'GET /audit/streams/{streamId}',
      'GET /audit/streams/{streamId}/verify',
    ])
      expect({
        route,
        schema: described[route]?.responses['200']?.content?.['application/json']?.schema,
      }).toEqual({ route, schema: expect.objectContaining({ type: 'object' }) });
  });

  // API.md: 404 for an unknown id; on every read, `?minPosition` answers 504 when the projection has not
  // reached it, `?snapshot` 404 for an unknown snapshot and 409 while it builds; a bad query is 400.
  // A client generated from /docs knew none of these for the read routes (only 401, 403, 500, 503).
  it('lists the refusals API.md gives the read routes: 400, 404, 409 and 504', async () => {
    const described = Object.fromEntries(await operations(t));
    const statuses = (route: string) => Object.keys(described[route]!.responses);
    for (const route of [
      'GET /campaigns/{id}/progress',
      'GET /units/{id}/summary',
      'GET /audit/members/{id}/hours',
      'GET /leaderboards/members',
      'GET /members',
    ])
      expect({ route, statuses: statuses(route) }).toEqual({
        route,
        statuses: expect.arrayContaining(['200', '400', '404', '409', '504']),
      });
    for (const route of ['GET /audit/streams/{streamId}', 'GET /admin/jobs/{id}'])
      expect({ route, statuses: statuses(route) }).toEqual({
        route,
        statuses: expect.arrayContaining(['200', '404']),
      });
    // an id taken by a snapshot with another bound is a 409 (snapshots.e2e); a fuzzer generating
    // from /docs found it undocumented
    expect(statuses('POST /admin/snapshots')).toContain('409');
    // a route without a path parameter answers no 404; the server's own state takes minPosition as
    // every read does, so it refuses a bad one (and any parameter it does not take)
    expect(statuses('GET /auth/whoami')).toContain('200');
    expect(statuses('GET /auth/whoami')).toContain('400');
    expect(statuses('GET /auth/whoami')).not.toContain('404');
    expect(statuses('GET /events/live')).not.toContain('400');
    // one read from the log takes minPosition, as every read does, so it refuses a bad one
    expect(statuses('GET /audit/log/key')).toContain('400');
    expect(statuses('GET /audit/log/key')).not.toContain('404');
  });

  // Found by schemathesis: a rebuild without a body answered 202 while /docs said the body was
  // required, and API.md gives close and verify no body at all (`—`).
  it('requires a body only where a field of it is required', async () => {
    // given the document; when a client reads which bodies it must send
    const described = Object.fromEntries(await operations(t));
    const required = (route: string) => ({
      route,
      required: described[route]!.requestBody?.required,
    });

    // then close, verify and rebuild may go without, and a route with a required field may not
    for (const route of [
      'POST /campaigns/{id}/close',
      'POST /shifts/{id}/verify',
      'POST /admin/projections/rebuild',
    ])
      expect(required(route)).toEqual({ route, required: false });
    for (const route of ['POST /units', 'POST /shifts/{id}/end'])
      expect(required(route)).toEqual({ route, required: true });
    // and a rebuild sent without one is taken, as the document now says
    const rebuild = await request(t.server)
      .post('/admin/projections/rebuild')
      .set('Authorization', await t.bearer({ sub: 'op-1', role: 'operator' }));
    expect(rebuild.status).toBe(202);
  });
});
