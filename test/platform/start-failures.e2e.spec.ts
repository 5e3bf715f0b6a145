import { spawn } from 'node:child_process';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { resolve } from 'node:path';
import { freePort } from '#platform';
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
 * What an operator sees when the server cannot start for a reason of theirs to fix: one line saying
 * what and where, a non-zero exit, and nothing left running.
 */
describe('a start that cannot succeed', () => {
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

  it('given a port another process holds, the server says so in one line naming it, exits non-zero, and stops the PostgreSQL it started', async () => {
    // Found by probing what operators see: it wrote "failed to start: Error: listen EADDRINUSE" and
    // its stack, and exited leaving the embedded PostgreSQL it had started running.
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

  // Found by probing the same: a DATABASE_URL that did not answer ended the start in "failed to
  // start: Error: connect ECONNREFUSED" and a dozen lines of Nest's injector, naming no variable.
  it.each([
    ['server', 'dist/apps/api/src/main.js'],
    ['worker', 'dist/apps/worker/src/main.js'],
  ])(
    'given a DATABASE_URL nothing answers, the %s says so in one line, without its password',
    async (_, entry) => {
      // given a DATABASE_URL with a password, on a port nothing listens on
      const closed = await freePort();
      const url = `postgres://vc:S3cretPw@127.0.0.1:${closed}/vc`;
      const env = embeddedEnv(dataDir, {
        PORT: String(port),
        DATABASE_URL: url,
        LOG_FORMAT: 'json',
      });

      // when it starts
      const { code, output } = await runToExit(entry, env);

      // then it exits non-zero naming the database and what to check, without a stack or the password
      expect(code).not.toBe(0);
      expect(output).toContain(
        `cannot reach PostgreSQL at postgres://vc:***@127.0.0.1:${closed}/vc: connect ECONNREFUSED`,
      );
      expect(output).toContain('Is it running, and does DATABASE_URL name it?');
      expect(output).not.toMatch(/\n\s+at /);
      expect(output).not.toContain('S3cretPw');
    },
    120_000,
  );
});
