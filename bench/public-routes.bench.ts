/**
 * Routes anyone can ask for without a token (API.md: /health, /docs and the dashboard page; and
 * whatever a server answers to a bad token or an unknown path). No such request may stop the system:
 * this module floods each with clients that hold no valid token while one dashboard reads campaign
 * progress, and compares the reader's latency with its latency alone, in the same run.
 *
 * The API is the built one, in its own process, without its worker (RUN_WORKER=false) and behind a
 * history it has not projected: `/health` then reports a lag, the costliest report it makes.
 * BENCH_PUBLIC_SECONDS (default 8) per flood; BENCH_PUBLIC_BASELINE=<another build's
 * apps/api/src/main.js> runs the same floods against that build too (before/after in one run).
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { createScratchDatabase } from '../test/harness/database.js';
import { startApiProcess, type ApiProcess } from '../test/platform/support/api-process.js';
import { percentile, rate, runFor, type BenchContext, type Measurement } from './bench-kit.js';
import { mintTokens, seedSynthetic, waitForCatchUp } from './dashboard-setup.js';
import { HttpClient } from './http-client.js';

const SECONDS = Number(process.env.BENCH_PUBLIC_SECONDS ?? 8);
const FLOODERS = 32;
const SECRET = 'bench-public-routes-secret-0123456789';
const builtApi = resolve(import.meta.dirname, '..', 'apps', 'api', 'src', 'main.js');

/** What a client without a valid token can ask for, each answered as it is in this build. */
const floods = [
  ['GET /health', '/health'],
  ['GET /docs-json', '/docs-json'],
  ['GET /docs-yaml', '/docs-yaml'],
  ['GET /dashboard/app.js', '/dashboard/app.js'],
  ['GET an unknown path (404)', '/no-such-route'],
  ['GET /auth/whoami with a bad token (401)', '/auth/whoami'],
] as const;

/** A flood's answers (none for the reader alone) and the reader's reads beside it. */
type Row = { build: string; flood: string; answers?: Measurement; reads: Measurement };

export async function run(ctx: BenchContext): Promise<void> {
  const load = [loadavg()[0]!];
  const db = await createScratchDatabase(ctx.databaseUrl, 'bench_public');
  const builds = [['this build', builtApi]];
  const baseline = process.env.BENCH_PUBLIC_BASELINE;
  if (baseline) builds.push([`baseline (${baseline})`, resolve(baseline)]);
  const rows: Row[] = [];
  try {
    const campaign = await projectThenFallBehind(db.url);
    for (const [build, entry] of builds) {
      const api = await startApiProcess(db.url, SECRET, {
        entry,
        env: { LOG_LEVEL: 'error', RUN_WORKER: 'false' },
      });
      try {
        rows.push(...(await floodEach(api, build!, campaign)));
      } finally {
        await api.stop();
      }
    }
  } finally {
    await db.drop();
  }
  load.push(loadavg()[0]!);
  const ms = (m: Measurement) =>
    `${percentile(m.latenciesMs, 50).toFixed(1)} / ${percentile(m.latenciesMs, 99).toFixed(1)}`;
  const alone = (build: string) => rows.find((r) => r.build === build && r.flood === 'none')!;
  ctx.report('Public routes under a flood', [
    '| build | flood (32 clients, no valid token) | flood answers/s | progress read p50 / p99 ms | read p50 against alone |',
    '| --- | --- | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.build} | ${r.flood} | ${r.answers ? Math.round(rate(r.answers)).toLocaleString('en-US') : '—'} | ${ms(r.reads)} | ${(percentile(r.reads.latenciesMs, 50) / percentile(alone(r.build).reads.latenciesMs, 50)).toFixed(1)}× |`,
    ),
    '',
    `One reader asks for GET /campaigns/:id/progress (viewer token), one request at a time, for ${SECONDS} s alone and then for ${SECONDS} s beside each flood: ${FLOODERS} clients on kept-alive sockets asking in a loop, with a token the server refuses. The API in its own process without its worker, 20,000 events behind the projections (/health reports that lag). Client and API share the machine.`,
    `1-minute load average at start / end: ${load.map((l) => l.toFixed(2)).join(' / ')} (2 cores shared with other work; compare the rows of one run).`,
  ]);
}

/** A history projected (a campaign to read), then one the API will not project: a lag to report. */
async function projectThenFallBehind(databaseUrl: string): Promise<string> {
  const tokens = await mintTokens(SECRET);
  const api = await startApiProcess(databaseUrl, SECRET, { env: { LOG_LEVEL: 'error' } });
  const client = new HttpClient(api.url, 2);
  try {
    const seeded = await seedSynthetic(databaseUrl, SECRET, 5_000, 1);
    await waitForCatchUp(client, tokens, seeded.position, seeded.events, api.alive);
    await seedSynthetic(databaseUrl, SECRET, 20_000, 2);
    return seeded.campaignIds[0]!;
  } catch (error) {
    console.error(api.output.map((o) => o.line).join('\n')); // at LOG_LEVEL=error: what went wrong
    throw error;
  } finally {
    client.close();
    await api.stop();
  }
}

async function floodEach(api: ApiProcess, build: string, campaign: string): Promise<Row[]> {
  const { viewer } = await mintTokens(SECRET);
  const reader = new HttpClient(api.url, 1);
  const flooders = new HttpClient(api.url, FLOODERS);
  const read = () => readProgress(reader, viewer, campaign);
  try {
    await read(); // the first read opens the pools
    const rows: Row[] = [{ build, flood: 'none', reads: await runFor(1, SECONDS * 1000, read) }];
    for (const [flood, path] of floods) {
      console.log(`public routes, ${build}: ${flood}`);
      const [answers, reads] = await Promise.all([
        runFor(FLOODERS, SECONDS * 1000, async () => {
          await flooders.request('GET', path, 'not-a-token');
          return 1;
        }),
        runFor(1, SECONDS * 1000, read),
      ]);
      rows.push({ build, flood, answers, reads });
    }
    return rows;
  } finally {
    reader.close();
    flooders.close();
  }
}

async function readProgress(client: HttpClient, token: string, campaign: string): Promise<number> {
  await client.expect('GET', `/campaigns/${encodeURIComponent(campaign)}/progress`, token);
  return 1;
}
