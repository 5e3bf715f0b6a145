import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(process.cwd());

/** Builds dist/ (tsc), as `npm run cli` would run it; throws when the CLI did not come out. */
export function buildCli(): void {
  spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'ignore' });
  if (!existsSync(resolve(root, 'dist/apps/cli/src/main.js')))
    throw new Error('build failed: no dist/apps/cli');
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
