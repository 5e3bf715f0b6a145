import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildApi } from './support/api-process.js';

/**
 * A SIGTERM to the worker apart (`npm run start:worker`, RUN_WORKER=false for the API) while
 * it was starting (its embedded PostgreSQL up, the modules not yet) ended it at once with 143: it
 * installed its signal handlers only once the modules were up, and the cluster, a detached child,
 * went on running with nobody to stop it (README: whichever started it stops it on exit).
 */
describe('stopping the worker apart while it starts', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'worker-shutdown-during-start-'));
  beforeAll(() => buildApi(), 300_000);
  afterAll(() => {
    // a cluster the worker failed to stop would outlive the run: its postmaster's pid is in the file
    const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
    if (existsSync(pidFile)) process.kill(Number(readFileSync(pidFile, 'utf8').split('\n')[0]));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops the embedded PostgreSQL it started', async () => {
    // given the worker starting on an empty DATA_DIR, its own PostgreSQL now accepting connections
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_DIR: dataDir,
      AUTH_JWT_SECRET: 'worker-shutdown-during-start-secret',
      LOG_FORMAT: 'json',
      NO_COLOR: '1',
    };
    for (const name of ['DATABASE_URL', 'KAFKA_BROKERS', 'EVENTSTORE_URL', 'LOG_LEVEL'])
      delete env[name];
    const child = spawn(process.execPath, [resolve('dist/apps/worker/src/main.js')], {
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

    // when it is told to stop before its projections run
    child.kill('SIGTERM');
    const code = await exited;

    // then it exits cleanly, and the cluster's postmaster is gone with it
    expect(output).not.toContain('running projections');
    expect(code).toBe(0);
    expect(existsSync(join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  }, 120_000);
});
