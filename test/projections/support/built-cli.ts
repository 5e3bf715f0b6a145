import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { buildDist } from '../../harness/built-dist.js';

const root = resolve(process.cwd());
const entry = 'dist/apps/cli/src/main.js';

/** Builds dist/ as `npm run cli` would run it; throws when the CLI did not come out. */
export function buildCli(): void {
  buildDist(entry);
}

/** The test's environment changed by `env`: a value of undefined removes the variable. */
function cliEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const merged: Record<string, string | undefined> = { ...process.env, ...env };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete merged[name];
  return merged as NodeJS.ProcessEnv;
}

/**
 * Runs the built CLI as a person would, with the test's environment changed by `env` (a value of
 * undefined removes the variable, e.g. DATABASE_URL for the embedded PostgreSQL under DATA_DIR).
 */
export function runCli(args: string[], env: Record<string, string | undefined>) {
  return spawnSync(process.execPath, [entry, ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
    env: cliEnv(env),
  });
}

/**
 * `runCli` without blocking the test: commands that only read can run side by side, each CLI being
 * a process of its own that spends most of its time starting (loading its modules, about a second).
 */
export function startCli(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [entry, ...args], {
      cwd: root,
      env: cliEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}
