import request from 'supertest';
import { ProbeModule } from './probe.module.js';
import { PROBLEM, startTestApp, type TestApp } from './test-app.js';

describe('errors leave as problem+json', () => {
  let t: TestApp;
  let operator: string;
  beforeAll(async () => {
    t = await startTestApp('platform_problems', { imports: [ProbeModule], worker: false });
    operator = await t.bearer({ sub: 'op-1', role: 'operator' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('turns the body into its DTO and accepts a valid one', async () => {
    const res = await request(t.server)
      .post('/probe/validate')
      .set('Authorization', operator)
      .send({ name: 'Đoàn phường 1', kind: 'ward', dailyWindow: { from: '07:00', to: '22:00' } });
    expect(res.status).toBe(201);
    expect(res.body.isDto).toBe(true);
  });

  it('names every bad field, nested ones with dots, and refuses unknown fields', async () => {
    const res = await request(t.server)
      .post('/probe/validate')
      .set('Authorization', operator)
      .send({
        kind: 'city',
        citizens: 0,
        dailyWindow: { from: '7am', to: '22:00', extra: 1 },
        admin: true,
      });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({
      type: expect.stringMatching(/\/problems\/validation-failed$/),
      title: 'Bad Request',
      status: 400,
    });
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field);
    expect(new Set(fields)).toEqual(
      new Set(['name', 'kind', 'citizens', 'dailyWindow.from', 'dailyWindow.extra', 'admin']),
    );
    expect(res.body.errors).toContainEqual({
      field: 'dailyWindow.from',
      message: 'from must be a time of day HH:mm',
    });
  });

  it.each([[[]], ['"a string"'], [42]])(
    'refuses a body that is not an object (%j) with 400',
    async (body) => {
      const res = await request(t.server)
        .post('/probe/validate')
        .set('Authorization', operator)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(body));
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
    },
  );

  // V8 quotes the text around where JSON.parse stopped ("Unexpected token 'N', ..."Nguyễn Thị Zzqx"...
  // is not valid JSON"): the body of an enrolment or an erasure carries a name or an ID-card number.
  it.each([
    ['a bare name', 'Nguyễn Thị Zzqx'],
    ['a name left unquoted', '{"unitId":"ward-1","displayName":Nguyễn Thị Zzqx}'],
    ['a reference left unquoted', '{"citizenRef":CCCD079199001234}'],
    ['a name in single quotes', "{'displayName':'Nguyễn Thị Zzqx'}"],
  ])('refuses a body that does not parse (%s) without quoting it back', async (_, body) => {
    // given a body holding personal data that is not JSON
    // when it is sent
    const res = await request(t.server)
      .post('/probe/validate')
      .set('Authorization', operator)
      .set('Content-Type', 'application/json')
      .send(body);
    // then it is refused as malformed JSON, and the answer holds none of its text
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.code).toBe('malformed_json');
    expect(res.body.detail).toMatch(/^The request body is not valid JSON/);
    expect(JSON.stringify(res.body)).not.toMatch(/Zzqx|Nguy|079199001234|CCCD/);
  });

  it.each([
    ['rule', 422, 'shift_overlaps'],
    ['not_found', 404, 'shift_not_found'],
    ['conflict', 409, 'shift_not_open'],
    ['forbidden', 403, 'own_shift'],
  ])('maps a domain %s error to %d with its code', async (kind, status, code) => {
    const res = await request(t.server).get(`/probe/domain/${kind}`).set('Authorization', operator);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({
      status,
      code,
      type: `https://volunteer-campaigns.example/problems/${code.replace(/_/g, '-')}`,
    });
    expect(res.body.detail).toEqual(expect.any(String));
  });

  it('maps a version conflict that outlived its retries to 409', async () => {
    const res = await request(t.server).get('/probe/conflict').set('Authorization', operator);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('concurrent_modification');
  });

  it('answers an unexpected error with 500 and no internals', async () => {
    const res = await request(t.server).get('/probe/boom').set('Authorization', operator);
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(JSON.stringify(res.body)).not.toMatch(/10\.0\.0\.7|secret|stack/);
  });

  it('lets @Roles refuse other roles with 403 and admit listed ones', async () => {
    const viewer = await request(t.server)
      .get('/probe/coordinators-only')
      .set('Authorization', await t.bearer({ sub: 'v', role: 'viewer' }));
    expect(viewer.status).toBe(403);
    expect(viewer.headers['content-type']).toMatch(PROBLEM);
    expect(viewer.body.detail).toContain('coordinator, operator');
    const coordinator = await request(t.server)
      .get('/probe/coordinators-only')
      .set('Authorization', await t.bearer({ sub: 'c-1', role: 'coordinator', unitId: 'ward-7' }));
    expect(coordinator.status).toBe(200);
    expect(coordinator.body).toEqual({ sub: 'c-1', role: 'coordinator', unitId: 'ward-7' });
  });

  it('lets @Public routes through without a token', async () => {
    expect((await request(t.server).get('/probe/public')).status).toBe(200);
  });
});
