import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run as exportCommand } from '../../apps/cli/src/commands/export.command.js';
import { run as seed } from '../../apps/cli/src/commands/seed.command.js';
import { createTestDatabase } from '../harness/database.js';
import { runCliInProcess } from '../harness/cli-in-process.js';
import { buildCli } from './support/built-cli.js';

const SECRET = 'export-bounded-secret-0123456789abcdef';
/** A V8 heap the CLI starts and exports a page of shifts in, far below what a whole trail takes. */
const HEAP_MB = 48;

/** The built CLI under a heap limit, its stdout a pipe read to the end. */
function runWithHeap(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; out: Buffer; err: string }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [`--max-old-space-size=${HEAP_MB}`, 'dist/apps/cli/src/main.js', ...args],
      { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out: Buffer.concat(out), err }));
  });
}

/**
 * `export audit` read a scope's whole trail into memory and built the whole document before writing
 * a byte: a province of a million events (105,217 shifts) took 988 MB, and ten times that log would
 * not fit a default heap. 9,055 shifts already ran out of a 48 MB heap. It now reads a page of shifts
 * at a time from one cursor and writes each page out before reading the next.
 */
describe('export audit of a large scope', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataDir: string;
  let env: Record<string, string>;
  let province: string;

  beforeAll(async () => {
    buildCli();
    db = await createTestDatabase('cli_export_bounded');
    dataDir = mkdtempSync(join(tmpdir(), 'export-bounded-'));
    env = { DATABASE_URL: db.url, DATA_DIR: dataDir, AUTH_JWT_SECRET: SECRET };
    // given a generated province of about ten thousand shifts
    const seeded = await runCliInProcess(
      seed,
      ['synthetic', '--events', '100000', '--seed', '5'],
      env,
    );
    if (seeded.code !== 0) throw new Error(`seed failed: ${seeded.err}`);
    province = (JSON.parse(seeded.out.trimEnd().split('\n').at(-1)!) as { unitIds: string[] })
      .unitIds[0]!;
  }, 600_000);
  afterAll(async () => {
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each(['csv', 'json'])(
    'writes the whole %s export of the province within a small heap',
    async (format) => {
      const args = ['audit', '--unit', province, '--format', format];
      const whole = await runCliInProcess(exportCommand, args, env);
      expect(whole.code).toBe(0);
      const shifts = Number(/export: (\d+) shifts/.exec(whole.err)![1]);
      expect(shifts).toBeGreaterThan(9_000);

      // when the built CLI exports it with a V8 heap of 48 MB
      const bounded = await runWithHeap(['export', ...args], env);

      // then it does not run out of memory: it exits 0 and the reader gets the same document
      expect(bounded.err).not.toMatch(/heap out of memory/);
      expect(bounded.code).toBe(0);
      expect(bounded.err).toContain(`export: ${shifts} shifts`);
      expect(bounded.out.toString('utf8')).toBe(whole.out);
    },
    300_000,
  );
});
