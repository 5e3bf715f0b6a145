import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '#platform';
import { buildApi } from './support/api-process.js';

/**
 * Under API_PROCESSES > 1, the supervisor installed its signal handlers only once the
 * embedded PostgreSQL was up. A SIGTERM while it started ended the supervisor at once (143); the
 * start it had begun went on without it, and a postmaster that came up was left running, a detached
 * child with nobody to stop it (seen with `kill -TERM` 1.65 s after the start).
 */
describe('stopping the supervisor of several API processes while it starts', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'supervisor-shutdown-during-start-'));
  beforeAll(() => buildApi(), 300_000);
  afterAll(() => {
    // a cluster the supervisor failed to stop would outlive the run: its postmaster's pid is in the file
    const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
    if (existsSync(pidFile)) process.kill(Number(readFileSync(pidFile, 'utf8').split('\n')[0]));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('waits for the embedded PostgreSQL to be up, then stops it and exits 0', async () => {
    // given the supervisor of two API processes creating its PostgreSQL in an empty DATA_DIR
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      AUTH_JWT_SECRET: 'supervisor-shutdown-during-start-secret',
      API_PROCESSES: '2',
      LOG_FORMAT: 'json',
      NO_COLOR: '1',
    };
    for (const name of ['DATABASE_URL', 'KAFKA_BROKERS', 'EVENTSTORE_URL', 'LOG_LEVEL'])
      delete env[name];
    const child = spawn(process.execPath, [resolve('dist/apps/api/src/main.js')], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exited = new Promise<number | null>((done) => child.once('exit', done));
    const initialising = new Promise<void>((done) => {
      const look = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('initialising PostgreSQL')) done();
      };
      child.stdout!.on('data', look);
      child.stderr!.on('data', look);
    });
    await Promise.race([initialising, exited]);

    // when it is told to stop while the cluster is being created
    child.kill('SIGTERM');
    const code = await exited;

    // then it exits cleanly once the start is over, no API process started, and no postmaster is left
    expect(code).toBe(0);
    expect(output).not.toContain('API processes share port');
    expect(existsSync(join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  }, 120_000);
});
