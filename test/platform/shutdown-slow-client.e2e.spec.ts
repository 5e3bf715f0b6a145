import { connect, type Socket } from 'node:net';
import { createTestDatabase } from '../harness/database.js';
import { buildApi, startApiProcess, type ApiProcess } from './support/api-process.js';

const SECRET = 'slow-client-test-secret-of-sufficient-length';

/**
 * Probe 3: a client that sends its request body a byte at a time (a phone on a weak network, or a
 * slowloris) keeps its request open for up to Node's 300 s requestTimeout. Stopping the server waited
 * for it, gave up after main.ts's 30 s, exited 1, and skipped the shutdown hooks: the embedded
 * PostgreSQL was left running.
 */
describe('stopping the server while a client trickles its request', () => {
  let api: ApiProcess;
  let drop: () => Promise<void>;
  let slow: Socket | undefined;

  beforeAll(async () => {
    buildApi();
    const db = await createTestDatabase('platform_shutdown_slow');
    drop = db.drop;
    api = await startApiProcess(db.url, SECRET);
  }, 300_000);

  afterAll(async () => {
    slow?.destroy();
    await api?.stop();
    await drop?.();
  });

  it('cuts the request short and stops cleanly, running every shutdown hook', async () => {
    // given a request whose 1,000-byte body arrives one byte a second, and the server answering others
    const { port } = new URL(api.url);
    slow = connect(Number(port), '127.0.0.1', () => {
      slow!.write(
        'POST /units HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
          'Content-Length: 1000\r\n\r\n{',
      );
    });
    const trickle = setInterval(() => slow!.write(' '), 1_000);
    slow.on('error', () => undefined);
    slow.on('close', () => clearInterval(trickle));
    expect((await fetch(`${api.url}/health`)).status).toBe(200);

    // when the server is asked to stop
    await api.stop();

    // then it exited cleanly (not main.ts's exit 1 after 30 s), having dropped the slow request
    expect(api.child.exitCode).toBe(0);
    expect(slow.destroyed || slow.readableEnded).toBe(true);
    expect(api.output.map((o) => o.line).join('\n')).not.toContain('shutdown took longer');
  }, 60_000);
});
