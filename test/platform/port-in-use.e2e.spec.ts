import { spawn } from 'node:child_process';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { resolve } from 'node:path';
import { buildApi } from './support/api-process.js';
import { clusterStopped, embeddedEnv, scratchDataDir } from './support/interrupted-start.js';

/** Runs `node <entry>` to its end, answering its exit code and everything it wrote. */
function runToExit(entry: string, env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [resolve(entry)], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise<{ code: number | null; output: string }>((done) =>
    child.once('close', (code) => done({ code, output })),
  );
}

/**
 * Found by probing what operators see: `npm start` on a port another process held wrote "failed to
 * start: Error: listen EADDRINUSE" and its stack, and exited leaving the embedded PostgreSQL it had
 * started running, with nobody to stop it.
 */
describe('starting the server on a port another process holds', () => {
  const { dataDir, remove } = scratchDataDir('port-in-use');
  let holder: Server;
  let port: number;
  beforeAll(async () => {
    buildApi();
    holder = createServer();
    await new Promise<void>((done) => holder.listen(0, '127.0.0.1', done));
    port = (holder.address() as AddressInfo).port;
  }, 300_000);
  afterAll(async () => {
    await new Promise((done) => holder?.close(done));
    remove();
  });

  it('says so in one line naming the port, exits non-zero, and stops the PostgreSQL it started', async () => {
    // given the server's port held by another process, and an empty DATA_DIR
    const env = embeddedEnv(dataDir, { PORT: String(port), HOST: '127.0.0.1', LOG_FORMAT: 'json' });

    // when the server starts
    const { code, output } = await runToExit('dist/apps/api/src/main.js', env);

    // then it exits non-zero, saying which port is taken, without a stack trace
    expect(code).not.toBe(0);
    expect(output).toContain(`cannot listen on 127.0.0.1 port ${port}: it is in use (EADDRINUSE)`);
    expect(output).not.toMatch(/\n\s+at /);
    // and the embedded PostgreSQL it started is stopped
    expect(clusterStopped(dataDir)).toBe(true);
  }, 120_000);
});
