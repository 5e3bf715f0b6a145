#!/usr/bin/env node
// Compiles dist/ (`tsc -p tsconfig.build.json`) only when a source or build setting is newer than the
// last successful build. tsc's own incremental check still reads every file and took 6–8 s even when
// nothing had changed: before each `npm run cli` token, and before each of the ~25 suites that run
// the built API or CLI (a few minutes of every CI run). Run as a script it exits with tsc's status
// (0 when nothing needed compiling).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
// Written after each successful build (tsc leaves its own build info alone when nothing changed).
const stamp = join(root, 'dist', '.built-at');

function newestSource(dir, newest = 0) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = newestSource(path, newest);
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds dist/ unless it is newer than every source; returns tsc's exit status (0 when skipped). */
export function buildIfStale({ stdio = 'inherit' } = {}) {
  const settings = ['package.json', 'tsconfig.json', 'tsconfig.build.json'].map(
    (file) => statSync(join(root, file)).mtimeMs,
  );
  const sources = Math.max(
    ...settings,
    ...['apps', 'libs', 'bench'].map((d) => newestSource(join(root, d))),
  );
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= sources) return 0;
  // The stamp carries the time the build started: a source saved while tsc ran is newer than it.
  const started = new Date();
  const tsc = spawnSync(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')],
    { stdio },
  );
  if (tsc.status !== 0) return tsc.status ?? 1;
  writeFileSync(stamp, `${started.toISOString()}\n`);
  utimesSync(stamp, started, started);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href)
  process.exit(buildIfStale());
