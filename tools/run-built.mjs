#!/usr/bin/env node
// Runs a built entry point (`node tools/run-built.mjs dist/apps/cli/src/main.js args…`), compiling
// first only when a source or build setting is newer than the last build. `npm run cli` used to run
// tsc every time: 6–8 s before each token.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { buildIfStale } from './build-if-stale.mjs';

const root = resolve(import.meta.dirname, '..');
const status = buildIfStale();
if (status !== 0) process.exit(status);
const [entry, ...args] = process.argv.slice(2);
const child = spawn(process.execPath, [join(root, entry), ...args], { stdio: 'inherit' });
// A signal sent to this launcher alone (a service manager stopping `npm start`) reaches the program.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
