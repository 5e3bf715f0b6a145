import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(process.cwd());

/**
 * Builds dist/ as `npm start` and `npm run cli` do (tools/build-if-stale.mjs: tsc only when a source
 * is newer than the last build; the global setup has built it once per run), then throws unless
 * `entry` (a path under the checkout) came out. tsc emits despite type errors elsewhere in the tree,
 * so only a missing entry is fatal.
 */
export function buildDist(entry: string): void {
  spawnSync(process.execPath, [resolve(root, 'tools/build-if-stale.mjs')], {
    cwd: root,
    stdio: 'ignore',
  });
  if (!existsSync(resolve(root, entry))) throw new Error(`build failed: ${entry} is missing`);
}
