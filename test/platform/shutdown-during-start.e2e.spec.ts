import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '#platform';
import { buildApi } from './support/api-process.js';

/**
 * Probe 3: a Ctrl-C while the server was still starting (the embedded PostgreSQL up, the modules not
 * yet) ended the process at once, before main.ts had installed its handlers. The cluster, a detached
 * child, went on running with nobody to stop it.
 */
describe('stopping the server while it starts', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'shutdown-during-start-'));
  beforeAll(() => buildApi(), 300_000);
  afterAll(() => {
    // a cluster the server failed to stop would outlive the run: its postmaster's pid is in the file
    const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
    if (existsSync(pidFile)) process.kill(Number(readFileSync(pidFile, 'utf8').split('\n')[0]));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops the embedded PostgreSQL it started', async () => {
    // given the server starting on an empty DATA_DIR, its own PostgreSQL now accepting connections
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      AUTH_JWT_SECRET: 'shutdown-during-start-secret-of-sufficient-length',
      NO_COLOR: '1',
    };
    for (const name of ['DATABASE_URL', 'KAFKA_BROKERS', 'EVENTSTORE_URL', 'API_PROCESSES'])
      delete env[name];
    const child = spawn(process.execPath, [resolve('dist/apps/api/src/main.js')], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exited = new Promise<number | null>((done) => child.once('exit', done));
    const postgresUp = new Promise<void>((done) => {
      const look = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('embedded PostgreSQL listening')) done();
      };
      child.stdout!.on('data', look);
      child.stderr!.on('data', look);
    });
    await Promise.race([postgresUp, exited]);

    // when it is interrupted before it listens
    child.kill('SIGINT');
    const code = await exited;

    // then it exits cleanly, and the cluster's postmaster is gone with it
    expect(output).not.toMatch(/"context":"Main","msg":"listening on/);
    expect(code).toBe(0);
    expect(existsSync(join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  }, 120_000);
});
