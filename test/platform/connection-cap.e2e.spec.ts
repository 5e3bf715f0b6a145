import http from 'node:http';
import { connect, type Socket } from 'node:net';
import { startTestApp, type TestApp } from './test-app.js';

/**
 * HTTP_MAX_CONNECTIONS keeps descriptors for the database; but a cap that idle sockets fill would
 * leave everyone else out until they time out (10 s). At the cap, sockets that have not sent a whole
 * request within a second are closed, oldest first, to make room. A cap of 4 keeps the suite short.
 */
describe('connections at the cap', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await startTestApp('platform_connection_cap', { worker: false, maxConnections: 4 });
    port = Number(new URL(await t.url()).port);
  });
  // Closed by the test, whatever it finds: a closing server no longer times out silent sockets.
  const sockets: Socket[] = [];
  afterEach(() => sockets.forEach((socket) => socket.destroy()));
  afterAll(() => t?.close());

  it('makes room for a client by closing the oldest sockets that send nothing', async () => {
    // given as many sockets as the server takes, connected and silent for over a second
    const idle: Socket[] = [];
    for (let i = 0; i < 4; i++) idle.push(await silentSocket(port));
    sockets.push(...idle);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    // when a client asks for /health for 8 s, trying again when its connection is refused
    const started = Date.now();
    let status: number | string = 'none';
    while (status !== 200 && Date.now() - started < 8_000) {
      status = await health(port);
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // then it is answered before the headers timeout (10 s) would have ended the silent sockets
    // (in a second or two; the margin is for a loaded machine),
    expect(status).toBe(200);
    // and room was made by closing the oldest silent socket
    expect(idle[0]!.destroyed).toBe(true);
  });
});

function silentSocket(port: number): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', () => {});
  });
}

/** The status of GET /health on a fresh connection, or the error's code when it is refused. */
function health(port: number): Promise<number | string> {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/health', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    request.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}
