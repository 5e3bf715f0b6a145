import { connect } from 'node:net';
import { startTestApp, type TestApp } from './test-app.js';

/**
 * The probe: sockets that send nothing, or half a request, kept their descriptor for 60 to 90 s
 * (Node's headersTimeout, checked every 30 s); 400 of them under a file limit of 300 made /health
 * answer 503 until they went. HTTP_HEADERS_TIMEOUT is 1 s here to keep the suite short (10 s by default).
 */
describe('connections that send nothing go away in seconds', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await startTestApp('platform_idle_connections', {
      worker: false,
      headersTimeoutMs: 1_000,
      requestTimeoutMs: 3_000,
    });
    port = Number(new URL(await t.url()).port);
  });
  afterAll(() => t?.close());

  it.each([
    ['sends nothing', ''],
    ['stops in the middle of its headers', 'GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: '],
  ])('closes a socket that %s once the headers timeout has passed', async (_case, sent) => {
    // given a client that connects and %s
    const { closedAfterMs, received } = await idle(port, sent, 5_000);
    // then the server closes it within the timeout and the one-second check after it, saying why
    expect(closedAfterMs).toBeGreaterThanOrEqual(900);
    expect(closedAfterMs).toBeLessThan(2_600);
    expect(received).toMatch(/^HTTP\/1\.1 408 [^]*"code":"request_timeout"/);
  });

  it('answers a slow client whose headers arrive in pieces within the timeout', async () => {
    // given a client on a slow link, its request line and headers arriving over 600 ms
    const pieces = ['GET /health HTTP/1.1\r\n', 'Host: x\r\n', 'Connection: close\r\n', '\r\n'];
    const received = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', async () => {
        for (const piece of pieces) {
          socket.write(piece);
          await new Promise((done) => setTimeout(done, 200));
        }
      });
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('error', reject);
      socket.on('close', () => resolve(text));
    });
    // then it is answered as any other
    expect(received).toMatch(/^HTTP\/1\.1 200 /);
  });
});

/** Connects, writes `sent`, reads, and answers when (and with what) the server closed the socket. */
function idle(
  port: number,
  sent: string,
  giveUpMs: number,
): Promise<{ closedAfterMs: number; received: string }> {
  return new Promise((resolve) => {
    const started = Date.now();
    let received = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(sent));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', () => {});
    socket.on('close', () => resolve({ closedAfterMs: Date.now() - started, received }));
    // a server that never closes it: the assertion on the time fails, rather than the test hanging
    setTimeout(() => socket.destroy(), giveUpMs).unref();
  });
}
