import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildCli } from './support/built-cli.js';

/**
 * `seed synthetic` (any CLI command) interrupted with Ctrl-C while it ran on the embedded
 * PostgreSQL it had started itself (no server up) exited 130 at once: the cluster, a detached child,
 * went on running with nobody to stop it (README: whichever started it stops it on exit). The next
 * server or CLI then only borrowed it, so it was never stopped at all.
 */
describe('a CLI command interrupted with Ctrl-C', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cli-interrupted-'));
  beforeAll(() => buildCli(), 300_000);
  afterAll(() => {
    // a cluster the CLI failed to stop would outlive the run: its postmaster's pid is in the file
    const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
    if (existsSync(pidFile)) process.kill(Number(readFileSync(pidFile, 'utf8').split('\n')[0]));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops the embedded PostgreSQL it started, then exits 130', async () => {
    // given `seed synthetic` writing into the embedded PostgreSQL it started in an empty DATA_DIR
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_DIR: dataDir,
      AUTH_JWT_SECRET: 'cli-interrupted-test-secret-long-enough',
      NO_COLOR: '1',
    };
    for (const name of ['DATABASE_URL', 'KAFKA_BROKERS', 'EVENTSTORE_URL']) delete env[name];
    const child = spawn(
      process.execPath,
      [
        resolve('dist/apps/cli/src/main.js'),
        'seed',
        'synthetic',
        '--events',
        '200000',
        '--seed',
        '5',
      ],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
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
    await new Promise((done) => setTimeout(done, 1_000));

    // when it is interrupted halfway
    child.kill('SIGINT');
    const code = await exited;

    // then it exits as interrupted, and the cluster's postmaster is gone with it
    expect(code).toBe(130);
    expect(existsSync(join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  }, 120_000);
});
