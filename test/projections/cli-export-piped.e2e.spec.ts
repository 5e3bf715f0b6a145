import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run as exportCommand } from '../../apps/cli/src/commands/export.command.js';
import { run as seed } from '../../apps/cli/src/commands/seed.command.js';
import { createTestDatabase } from '../harness/database.js';
import { runCliInProcess } from '../harness/cli-in-process.js';
import { buildCli } from './support/built-cli.js';

const SECRET = 'export-piped-secret-0123456789abcdef';

/**
 * The built CLI with its stdout a pipe, as `export audit … | jq` or `| python3` runs it; `stopAfter`
 * closes the reading end after that many bytes, as `| head -c` does.
 */
function runPiped(args: string[], env: Record<string, string>, stopAfter?: number) {
  return new Promise<{ code: number | null; out: Buffer; err: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/apps/cli/src/main.js', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let length = 0;
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out.push(chunk);
      length += chunk.length;
      if (stopAfter !== undefined && length >= stopAfter) child.stdout.destroy();
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out: Buffer.concat(out), err }));
  });
}

/**
 * `export audit` wrote its whole answer with one write and exited at once: to a file it arrived whole,
 * but to a pipe only what the pipe took before the exit (64 KiB through `npm run`), and the command
 * still exited 0. An auditor's script reading it got a cut CSV or JSON that no parser takes.
 */
describe('export audit written to a pipe', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataDir: string;
  let env: Record<string, string>;
  let province: string;

  beforeAll(async () => {
    buildCli();
    db = await createTestDatabase('cli_export_piped');
    dataDir = mkdtempSync(join(tmpdir(), 'export-piped-'));
    env = { DATABASE_URL: db.url, DATA_DIR: dataDir, AUTH_JWT_SECRET: SECRET };
    // given a generated province whose export runs to hundreds of kilobytes
    const seeded = await runCliInProcess(
      seed,
      ['synthetic', '--events', '20000', '--seed', '4'],
      env,
    );
    if (seeded.code !== 0) throw new Error(`seed failed: ${seeded.err}`);
    province = (JSON.parse(seeded.out.trimEnd().split('\n').at(-1)!) as { unitIds: string[] })
      .unitIds[0]!;
  }, 300_000);
  afterAll(async () => {
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each(['json', 'csv'])(
    'hands the reader the whole %s export and exits 0',
    async (format) => {
      const args = ['audit', '--unit', province, '--format', format];
      const whole = await runCliInProcess(exportCommand, args, env);
      expect(whole.code).toBe(0);
      expect(Buffer.byteLength(whole.out)).toBeGreaterThan(500_000);

      // when the built CLI writes the same export into a pipe
      const piped = await runPiped(['export', ...args], env);

      // then the reader gets every byte of it, and the command says it succeeded
      expect(piped.code).toBe(0);
      expect(piped.out.toString('utf8')).toBe(whole.out);
    },
    120_000,
  );

  it('stops quietly, not with exit 0, when the reader leaves early (| head)', async () => {
    // when the reader closes the pipe after the first 100 kB
    const piped = await runPiped(
      ['export', 'audit', '--unit', province, '--format', 'json'],
      env,
      100_000,
    );

    // then the command ends as SIGPIPE ends a Unix tool, without an unhandled error's stack
    expect(piped.code).toBe(141);
    expect(piped.err).not.toMatch(/Unhandled 'error' event|EPIPE/);
  }, 120_000);
});
