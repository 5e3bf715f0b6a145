import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run as seed } from '../../../apps/cli/src/commands/seed.command.js';
import { createTestDatabase } from '../../harness/database.js';
import { runCliInProcess } from '../../harness/cli-in-process.js';
import { buildCli } from './built-cli.js';

export type SeededProvince = Readonly<{
  /** The environment the CLI runs with: the province's database, a DATA_DIR, a JWT secret. */
  env: Record<string, string>;
  /** The root unit of the generated history. */
  province: string;
  drop(): Promise<void>;
}>;

/** A database of its own holding `seed synthetic --events <events> --seed <seed>`, for the export suites. */
export async function seededProvince(
  name: string,
  events: number,
  seedNumber: number,
): Promise<SeededProvince> {
  buildCli();
  const db = await createTestDatabase(name);
  const dataDir = mkdtempSync(join(tmpdir(), `${name}-`));
  const env = {
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    AUTH_JWT_SECRET: `${name}-secret-0123456789`,
  };
  const seeded = await runCliInProcess(
    seed,
    ['synthetic', '--events', String(events), '--seed', String(seedNumber)],
    env,
  );
  if (seeded.code !== 0) throw new Error(`seed failed: ${seeded.err}`);
  const last = JSON.parse(seeded.out.trimEnd().split('\n').at(-1)!) as { unitIds: string[] };
  return {
    env,
    province: last.unitIds[0]!,
    drop: async () => {
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The built CLI with its stdout a pipe read to the end, as `export audit … | jq` runs it. `stopAfter`
 * closes the reading end after that many bytes, as `| head -c` does; `heapMb` caps V8's heap.
 */
export function runBuiltCli(
  args: string[],
  env: Record<string, string>,
  options: { stopAfter?: number; heapMb?: number } = {},
) {
  return new Promise<{ code: number | null; out: Buffer; err: string }>((resolve, reject) => {
    const heap = options.heapMb === undefined ? [] : [`--max-old-space-size=${options.heapMb}`];
    const child = spawn(process.execPath, [...heap, 'dist/apps/cli/src/main.js', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let length = 0;
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out.push(chunk);
      length += chunk.length;
      if (options.stopAfter !== undefined && length >= options.stopAfter) child.stdout.destroy();
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out: Buffer.concat(out), err }));
  });
}
