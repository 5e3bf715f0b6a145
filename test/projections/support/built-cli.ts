import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { buildDist } from '../../harness/built-dist.js';

const root = resolve(process.cwd());

/** Builds dist/ as `npm run cli` would run it; throws when the CLI did not come out. */
export function buildCli(): void {
  buildDist('dist/apps/cli/src/main.js');
}

/**
 * Runs the built CLI as a person would, with the test's environment changed by `env` (a value of
 * undefined removes the variable, e.g. DATABASE_URL for the embedded PostgreSQL under DATA_DIR).
 */
export function runCli(args: string[], env: Record<string, string | undefined>) {
  const merged: Record<string, string | undefined> = { ...process.env, ...env };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete merged[name];
  return spawnSync(process.execPath, ['dist/apps/cli/src/main.js', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
    env: merged as NodeJS.ProcessEnv,
  });
}
