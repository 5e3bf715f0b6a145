/**
 * One size of the dashboard bench: an empty database, a history written by the real
 * `seed synthetic` command line (the event store's appends in batches, as an operator runs it), and the
 * wait until the built API started on it (test/platform/support/api-process.ts) has its projections and
 * audit log caught up.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { signToken } from '#platform';
import type { HttpClient } from './http-client.js';
import type { SeedSummary, Tokens } from './dashboard-routes.js';

/** dist/ as built: this file runs as dist/bench/dashboard-setup.js. */
const dist = dirname(dirname(fileURLToPath(import.meta.url)));

/**
 * `seed synthetic --events N --seed S` as a child process on `databaseUrl`; its stderr is passed
 * through (a progress bar when the bench runs on a terminal). Answers the JSON line it printed last.
 */
export async function seedSynthetic(
  databaseUrl: string,
  jwtSecret: string,
  events: number,
  seed: number,
): Promise<SeedSummary> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-seed-'));
  try {
    const child = spawn(
      process.execPath,
      [
        join(dist, 'apps/cli/src/main.js'),
        'seed',
        'synthetic',
        '--events',
        `${events}`,
        '--seed',
        `${seed}`,
      ],
      {
        env: {
          ...process.env,
          DATABASE_URL: databaseUrl,
          AUTH_JWT_SECRET: jwtSecret,
          DATA_DIR: dataDir,
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.once('exit', done));
    const last = stdout.trim().split('\n').pop() ?? '';
    if (code !== 0) throw new Error(`seed synthetic exited with ${code}: ${last}`);
    return JSON.parse(last) as SeedSummary;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function mintTokens(jwtSecret: string): Promise<Tokens> {
  const ttl = 6 * 3600; // a 10 M run's reads and lag fit in it; seeding happens before.
  return {
    operator: await signToken({ sub: 'bench-operator', role: 'operator' }, jwtSecret, ttl),
    viewer: await signToken({ sub: 'bench-dashboard', role: 'viewer' }, jwtSecret, ttl),
    auditor: await signToken({ sub: 'bench-auditor', role: 'auditor' }, jwtSecret, ttl),
  };
}

type ProjectionsAnswer = { projections: { state: string; checkpoint: number }[] };

/**
 * Waits until every projection is live past `position` (GET /admin/projections) and the audit log's
 * signed checkpoint covers `events` leaves (GET /audit/log/checkpoint): both work at start-up, and a
 * read measured while they still catch up would measure them.
 */
export async function waitForCatchUp(
  client: HttpClient,
  tokens: Tokens,
  position: number,
  events: number,
  alive: () => boolean,
): Promise<void> {
  for (;;) {
    if (!alive()) throw new Error('the API process exited while catching up');
    const answer = (await client.expect(
      'GET',
      '/admin/projections',
      tokens.operator,
    )) as ProjectionsAnswer;
    const live =
      answer.projections.length > 0 &&
      answer.projections.every((p) => p.state === 'live' && p.checkpoint >= position);
    if (live) {
      const note = await client.request('GET', '/audit/log/checkpoint', tokens.viewer);
      const size = note.status === 200 ? Number(note.body.split('\n')[1]) : 0;
      if (size >= events) return;
    }
    await sleep(1000); // each look reads up to 10,000 events per projection: not too often
  }
}
