import { ProbeModule } from './probe.module.js';
import { rawExchange, startTestApp, type TestApp } from './test-app.js';

/**
 * body-parser refuses a body whose Content-Length is over the limit, but answers only once the
 * request has ended: it drains the body first. A client that declares 100 MB and sends a few bytes
 * then held its connection, and a request, until Node's request timeout (300 s); one that sends all
 * of it had the server read 100 MB to learn it was too large. The declared length is known from the
 * headers, so the refusal need not wait for the body.
 */
describe('a body declared larger than the limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('declared_body_limit', { bodyLimit: 1024, imports: [ProbeModule] });
  });
  afterAll(() => t?.close());

  it('is refused with 413 problem+json at once, without reading it, and the connection closes', async () => {
    // given a request that declares 100 MB of JSON and sends only its first bytes
    const port = Number(new URL(await t.url()).port);
    const bearer = await t.bearer({ sub: 'op', role: 'operator' });
    const head = [
      'POST /probe/validate HTTP/1.1',
      'Host: x',
      `Authorization: ${bearer}`,
      'Content-Type: application/json',
      'Content-Length: 100000000',
    ].join('\r\n');

    // when it is sent
    const answer = await rawExchange(port, `${head}\r\n\r\n{"name":"x"`);

    // then the server answers 413 with a problem naming the limit, and closes the connection
    const [status, body] = answer.split('\r\n\r\n');
    expect(status).toMatch(/^HTTP\/1.1 413 /);
    expect(status).toMatch(/\r\nContent-Type: application\/problem\+json/i);
    expect(status).toMatch(/\r\nConnection: close/i);
    expect(JSON.parse(body!)).toMatchObject({ status: 413, code: 'payload_too_large' });
    expect(JSON.parse(body!).detail).toContain('1024');
  });
});
