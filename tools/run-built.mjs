#!/usr/bin/env node
// Runs a built entry point (`node tools/run-built.mjs dist/apps/cli/src/main.js args…`), compiling
// first only when a source or build setting is newer than the last build. `npm run cli` used to run
// tsc every time: 6–8 s before each token.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

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

const settings = ['package.json', 'tsconfig.json', 'tsconfig.build.json'].map(
  (file) => statSync(join(root, file)).mtimeMs,
);
const sources = Math.max(
  ...settings,
  ...['apps', 'libs', 'bench'].map((d) => newestSource(join(root, d))),
);
if (!existsSync(stamp) || statSync(stamp).mtimeMs < sources) {
  const tsc = spawnSync(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')],
    {
      stdio: 'inherit',
    },
  );
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}
const [entry, ...args] = process.argv.slice(2);
const child = spawn(process.execPath, [join(root, entry), ...args], { stdio: 'inherit' });
// A signal sent to this launcher alone (a service manager stopping `npm start`) reaches the program.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
