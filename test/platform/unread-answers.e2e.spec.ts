import type { Server } from 'node:http';
import { connect } from 'node:net';
import { startTestApp, type TestApp } from './test-app.js';

/**
 * Found by probing the API as an attacker: a client that sends whole requests for large answers
 * (`/docs-json`, 230 KB) and never reads them kept its connection open for as long as it liked: the
 * headers and request timeouts end once a request has arrived, and the connection cap only sheds
 * sockets still sending their headers, so enough such sockets would hold every connection the process
 * takes. HTTP_IDLE_TIMEOUT is 1 s here to keep the suite short (60 s by default).
 */
describe('a connection whose answers nobody reads is closed once nothing moves on it', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await startTestApp('platform_unread_answers', {
      worker: false,
      idleTimeoutMs: 1_000,
      liveStreamHeartbeatMs: 60_000,
    });
    port = Number(new URL(await t.url()).port);
  });
  afterAll(() => t?.close());

  it('closes a socket that asked for more than the buffers hold and reads none of it', async () => {
    // given a client that sends 100 requests for the OpenAPI document (about 23 MB of answers)
    // and never reads
    const socket = connect(port, '127.0.0.1', () => {
      socket.pause();
      socket.write('GET /docs-json HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(100));
    });
    socket.on('error', () => undefined);
    await new Promise((connected) => socket.once('connect', connected));

    // (a paused socket sees no close: the server's own count of connections tells)
    const server = t.server as Server;
    const open = () =>
      new Promise<number>((done, fail) =>
        server.getConnections((error, count) => (error ? fail(error) : done(count))),
      );
    expect(await open()).toBe(1);
    const startedAt = Date.now();
    let closedAfterMs = Infinity;
    while (Date.now() - startedAt < 8_000) {
      await new Promise((pause) => setTimeout(pause, 100));
      if ((await open()) === 0) {
        closedAfterMs = Date.now() - startedAt;
        break;
      }
    }
    socket.destroy();

    // then the server closes it once its answer has stalled for the idle timeout
    expect(closedAfterMs).toBeLessThan(8_000);
  });

  it('leaves open a live stream quiet for longer than the idle timeout', async () => {
    // given a dashboard's live stream, with no change and no heartbeat for a minute
    const token = (await t.bearer({ sub: 'wall-screen', role: 'viewer' })).slice('Bearer '.length);
    const socket = connect(port, '127.0.0.1', () =>
      socket.write(`GET /events/live?access_token=${token} HTTP/1.1\r\nHost: x\r\n\r\n`),
    );
    let received = '';
    let closed = false;
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('close', () => (closed = true));
    socket.on('error', () => undefined);

    // when three idle timeouts pass
    await new Promise((pause) => setTimeout(pause, 3_000));
    socket.destroy();

    // then it is still open, its `ready` told (a stream is quiet for minutes between changes; what
    // ends one nobody reads is its buffer limit, not the idle timeout)
    expect(received).toMatch(/^HTTP\/1\.1 200/);
    expect(received).toContain('event: ready');
    expect(closed).toBe(false);
  });
});
