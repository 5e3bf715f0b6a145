import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The kit of the suites that stop a process while it starts (the server, the supervisor of several
 * API processes, the worker apart, a CLI command): each must stop the embedded PostgreSQL it started,
 * which is a detached child and would otherwise outlive it with nobody to stop it.
 */

/** An empty DATA_DIR; `remove` first kills a cluster the process under test failed to stop. */
export function scratchDataDir(name: string): { dataDir: string; remove(): void } {
  const dataDir = mkdtempSync(join(tmpdir(), `${name}-`));
  return {
    dataDir,
    remove() {
      const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
      if (existsSync(pidFile)) process.kill(Number(readFileSync(pidFile, 'utf8').split('\n')[0]));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The environment of a process on its own embedded PostgreSQL in `dataDir`, with no outside service. */
export function embeddedEnv(dataDir: string, settings: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    AUTH_JWT_SECRET: 'interrupted-start-secret-of-sufficient-length',
    NO_COLOR: '1',
  };
  for (const name of ['DATABASE_URL', 'KAFKA_BROKERS', 'EVENTSTORE_URL', 'API_PROCESSES'])
    delete env[name];
  delete env.LOG_LEVEL;
  return { ...env, ...settings };
}

/**
 * Runs `node <args>` (a built entry point and its arguments), sends `signal` once its output shows
 * `seen` and `afterMs` more have passed (at once if it exits first), and answers its exit code and
 * everything it wrote.
 */
export async function interruptWhenSeen(
  args: string[],
  env: NodeJS.ProcessEnv,
  when: { seen: string; afterMs?: number; signal: NodeJS.Signals },
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [resolve(args[0]!), ...args.slice(1)], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((done) => child.once('exit', done));
  const seen = new Promise<void>((done) => {
    const look = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(when.seen)) done();
    };
    child.stdout!.on('data', look);
    child.stderr!.on('data', look);
  });
  await Promise.race([seen, exited]);
  if (when.afterMs) await new Promise((done) => setTimeout(done, when.afterMs));
  child.kill(when.signal);
  return { code: await exited, output };
}

/** Whether `dataDir` holds a cluster that was created and is not running (no postmaster.pid left). */
export const clusterStopped = (dataDir: string): boolean =>
  existsSync(join(dataDir, 'postgres', 'PG_VERSION')) &&
  !existsSync(join(dataDir, 'postgres', 'postmaster.pid'));
