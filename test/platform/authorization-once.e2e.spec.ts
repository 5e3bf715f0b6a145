import { rawExchange, startTestApp, type TestApp } from './test-app.js';

// Found by probing the API as an attacker: a request with two Authorization headers was served with
// the first (Node keeps the first of a header that must appear once and drops the others), while a
// proxy in front, or its access log, may read the last. RFC 9110 §5.3: Authorization is a singleton
// field, and a request with two is malformed; API.md: 401 for a bad token, with a problem naming it.
describe('a request with two Authorization headers is refused with 401', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('authorization_once', { worker: false });
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = async (path: string, authorizations: string[]) => {
    const port = Number(new URL(await t.url()).port);
    const lines = authorizations.map((value) => `Authorization: ${value}\r\n`).join('');
    const answer = await rawExchange(
      port,
      `GET ${path} HTTP/1.1\r\nHost: x\r\n${lines}Connection: close\r\n\r\n`,
    );
    const [head, ...body] = answer.split('\r\n\r\n');
    return { head: head!, body: body.join('\r\n\r\n') };
  };

  it("given an operator's token then a viewer's, when an operator's route is asked, then 401 naming the header", async () => {
    const operator = await t.bearer({ sub: 'op-1', role: 'operator' });
    const viewer = await t.bearer({ sub: 'screen-1', role: 'viewer' });

    const res = await get('/admin/projections', [operator, viewer]);

    expect(res.head).toMatch(/^HTTP\/1.1 401 /);
    expect(res.head).toMatch(/\r\nContent-Type: application\/problem\+json/i);
    expect(JSON.parse(res.body)).toMatchObject({
      status: 401,
      detail: expect.stringContaining('Authorization header must be sent once'),
    });
  });

  it('given one Authorization header, when the same route is asked, then it answers', async () => {
    const res = await get('/admin/projections', [
      await t.bearer({ sub: 'op-1', role: 'operator' }),
    ]);

    expect(res.head).toMatch(/^HTTP\/1.1 200 /);
  });
});
