import http from 'node:http';
import { signToken } from '#platform';
import { createTestDatabase } from '../harness/database.js';
import {
  buildApi,
  isRequestLine,
  startApiProcess,
  type ApiProcess,
} from './support/api-process.js';

const SECRET = 'shutdown-kept-alive-test-secret-long-enough';

/**
 * Under 16 clients sending commands on kept-alive connections, a SIGTERM did not stop the
 * API from taking their requests: it answered 2,200 more commands in 10 s, until main.ts cut every
 * connection, and the requests then running were dropped unanswered (logged 499). The shutdown now
 * answers each connection once more with `Connection: close` and takes no new ones.
 */
describe('stopping the server while clients send on kept-alive connections', () => {
  let api: ApiProcess;
  let drop: () => Promise<void>;
  let token: string;

  beforeAll(async () => {
    buildApi();
    const db = await createTestDatabase('platform_shutdown_kept_alive');
    drop = db.drop;
    api = await startApiProcess(db.url, SECRET, { env: { LOG_FORMAT: 'json' } });
    token = await signToken({ sub: 'op', role: 'operator' }, SECRET);
  }, 300_000);

  afterAll(async () => {
    await api?.stop();
    await drop?.();
  });

  it('stops taking requests at once and leaves none of them cut', async () => {
    // given eight clients each sending commands one after the other on a kept-alive connection
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const { port } = new URL(api.url);
    let sending = true;
    const post = (id: string) =>
      new Promise<void>((done) => {
        const body = JSON.stringify({ id, name: `Unit ${id}`, kind: 'ward' });
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            path: '/units',
            method: 'POST',
            agent,
            headers: {
              authorization: `Bearer ${token}`,
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
            },
          },
          (res) => {
            res.resume();
            res.on('end', () => done());
          },
        );
        req.on('error', () => {
          sending = false; // the port is closed: this client stops
          done();
        });
        req.end(body);
      });
    const clients = Array.from({ length: 8 }, async (_, c) => {
      for (let n = 0; sending; n++) await post(`kept-alive-${c}-${n}`);
    });
    await new Promise((done) => setTimeout(done, 1_500));

    // when the server is told to stop while they send
    const asked = Date.now();
    api.child.kill('SIGTERM');
    await new Promise<void>((done) => api.child.once('exit', () => done()));
    const took = Date.now() - asked;
    sending = false;
    await Promise.all(clients);
    agent.destroy();

    // then it exits well before the 10 s cut, cleanly, and no request was cut (499) on the way
    expect(api.child.exitCode).toBe(0);
    expect(took).toBeLessThan(8_000);
    const requests = api.output.filter((o) => isRequestLine(o.line)).map((o) => JSON.parse(o.line));
    expect(requests.filter((r: { status: number }) => r.status === 201).length).toBeGreaterThan(8);
    expect(requests.filter((r: { status: number }) => r.status === 499)).toEqual([]);
  }, 120_000);
});
