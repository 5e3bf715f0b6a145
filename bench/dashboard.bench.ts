/**
 * Issue 10 points 2 and 3: what a dashboard pays per read as the history grows, over HTTP against the
 * built API, while a writer records assistance to a live campaign; 16 readers together; and the
 * projections' lag under a sustained 1,000 events/s. For each size a fresh database gets its history
 * from `seed synthetic` (the command line, through the event store), then the API starts on it and
 * catches up before anything is measured. Sizes run one after the other, each on its own database.
 *
 * Settings (environment): BENCH_DASHBOARD_SIZES (events, comma-separated; 100000,1000000; a 10 M run is
 * 10000000, alone or in the list), BENCH_DASHBOARD_SEED (7), BENCH_DASHBOARD_ROUNDS (200 per route),
 * BENCH_DASHBOARD_WRITES (20 records/s), BENCH_DASHBOARD_READERS (16),
 * BENCH_DASHBOARD_CROWD_SECONDS (20), BENCH_DASHBOARD_FLOOD_READERS (32),
 * BENCH_DASHBOARD_FLOOD_SECONDS (20), BENCH_DASHBOARD_LAG_RATE (1000 events/s),
 * BENCH_DASHBOARD_LAG_SECONDS (30), BENCH_DASHBOARD_API_PROCESSES (1: API_PROCESSES of the API),
 * BENCH_DASHBOARD_WORKER (inline; `apart`: the worker in a process of its own, RUN_WORKER=false).
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import pg from 'pg';
import { createPostgresEventStore } from '#event-store';
import { createScratchDatabase } from '../test/harness/database.js';
import { percentile, type BenchContext } from './bench-kit.js';
import { HttpClient } from './http-client.js';
import { dashboardRoutes, type SeedSummary } from './dashboard-routes.js';
import { prepareVolunteers, startHttpWriter } from './dashboard-writer.js';
import { measureLag, type LagResult } from './dashboard-lag.js';
import { crowd, timeEachRoute, type CrowdResult } from './dashboard-reads.js';
import { flood, type FloodResult } from './dashboard-flood.js';
import { dashboardReport, lagReport, type SizeRun } from './dashboard-report.js';
import { mintTokens, seedSynthetic, waitForCatchUp } from './dashboard-setup.js';
import { startApiProcess } from '../test/platform/support/api-process.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const settings = {
  sizes: (process.env.BENCH_DASHBOARD_SIZES ?? '100000,1000000').split(',').map(Number),
  seed: env('BENCH_DASHBOARD_SEED', 7),
  rounds: env('BENCH_DASHBOARD_ROUNDS', 200),
  writesPerSecond: env('BENCH_DASHBOARD_WRITES', 20),
  readers: env('BENCH_DASHBOARD_READERS', 16),
  crowdSeconds: env('BENCH_DASHBOARD_CROWD_SECONDS', 20),
  floodReaders: env('BENCH_DASHBOARD_FLOOD_READERS', 32),
  floodSeconds: env('BENCH_DASHBOARD_FLOOD_SECONDS', 20),
  lagRate: env('BENCH_DASHBOARD_LAG_RATE', 1000),
  lagSeconds: env('BENCH_DASHBOARD_LAG_SECONDS', 30),
  apiProcesses: env('BENCH_DASHBOARD_API_PROCESSES', 1),
  worker: process.env.BENCH_DASHBOARD_WORKER === 'apart' ? ('apart' as const) : ('inline' as const),
};
export type DashboardSettings = typeof settings;

/** The writer's volunteers, each with one open shift that its records go to in turn. */
const VOLUNTEERS = 10;

const load = () => loadavg()[0]!.toFixed(2);

async function measureSize(ctx: BenchContext, events: number): Promise<SizeRun> {
  const db = await createScratchDatabase(ctx.databaseUrl, `bench_dashboard_${events}`);
  const jwtSecret = randomBytes(24).toString('hex');
  const pool = new pg.Pool({ connectionString: db.url, max: 20 });
  try {
    console.log(`\nseed synthetic --events ${events} --seed ${settings.seed}`);
    let started = performance.now();
    const seed = await seedSynthetic(db.url, jwtSecret, events, settings.seed);
    const seedSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    // Default logging: a JSON line per request into a pipe the launcher reads, as a log collector would.
    const api = await startApiProcess(db.url, jwtSecret, {
      processes: settings.apiProcesses,
      worker: settings.worker,
    });
    const client = new HttpClient(api.url, settings.readers);
    // The writer's own sockets: its records never queue behind the readers' requests in one agent.
    const writerClient = new HttpClient(api.url, VOLUNTEERS);
    try {
      const tokens = await mintTokens(jwtSecret);
      await waitForCatchUp(client, tokens, seed.position, seed.events, api.alive);
      const catchUpSeconds = (performance.now() - started) / 1000;
      console.log(
        `${seed.events} events seeded in ${seedSeconds.toFixed(0)} s, API caught up in ${catchUpSeconds.toFixed(0)} s`,
      );
      const facts = await campaignFacts(client, tokens.viewer, seed);
      const routes = dashboardRoutes(seed, { from: facts.startDate, to: facts.endDate });
      started = performance.now();
      const shiftIds = await prepareVolunteers(writerClient, tokens.operator, facts, VOLUNTEERS);
      const firstCommandsSeconds = (performance.now() - started) / 1000;
      const loadBefore = load();
      const writer = startHttpWriter(
        writerClient,
        tokens.operator,
        facts,
        shiftIds,
        settings.writesPerSecond,
      );
      let each: Awaited<ReturnType<typeof timeEachRoute>>;
      let together: CrowdResult;
      try {
        each = await timeEachRoute(client, routes, tokens, settings.rounds);
        console.log(`routes timed; ${settings.readers} readers for ${settings.crowdSeconds} s`);
        together = await crowd(client, routes, tokens, settings.readers, settings.crowdSeconds);
      } catch (error) {
        await writer.stop().catch(() => undefined);
        throw error;
      }
      const written = await writer.stop();
      console.log(
        `writer: ${written.written} records at ${written.perSecond.toFixed(1)}/s, answered in ` +
          `${percentile(written.latenciesMs, 50).toFixed(0)} / ${percentile(written.latenciesMs, 99).toFixed(0)} ms (p50 / p99)`,
      );
      console.log(
        `${settings.floodReaders} readers of costly boards for ${settings.floodSeconds} s`,
      );
      const floodClient = new HttpClient(api.url, settings.floodReaders);
      const floodWriter = startHttpWriter(
        writerClient,
        tokens.operator,
        facts,
        shiftIds,
        settings.writesPerSecond,
      );
      let flooded: FloodResult;
      try {
        flooded = await flood(
          floodClient,
          seed.unitIds[0]!,
          tokens.viewer,
          settings.floodReaders,
          settings.floodSeconds,
        );
      } catch (error) {
        await floodWriter.stop().catch(() => undefined);
        throw error;
      } finally {
        floodClient.close();
      }
      const floodWritten = await floodWriter.stop();
      console.log(`lag at ${settings.lagRate} events/s for ${settings.lagSeconds} s`);
      const store = createPostgresEventStore({ pool });
      let lag: LagResult;
      try {
        lag = await measureLag(pool, store, {
          perSecond: settings.lagRate,
          seconds: settings.lagSeconds,
          seed: settings.seed + 1000,
        });
      } finally {
        await store.close();
      }
      return {
        events: seed.events,
        seedSeconds,
        catchUpSeconds,
        firstCommandsSeconds,
        times: each.times,
        progressAnswers: each.progressAnswers,
        progressPositions: each.progressPositions,
        together,
        writer: written,
        flood: flooded,
        floodWriter: floodWritten,
        lag,
        load: `${loadBefore} / ${load()}`,
        resent: client.resent + writerClient.resent,
      };
    } catch (error) {
      // A failed request may be the API's death: its last words say why.
      if (!api.alive())
        console.error(
          `the API exited:\n${api.output
            .slice(-30)
            .map((o) => o.line)
            .join('\n')}`,
        );
      throw error;
    } finally {
      client.close();
      writerClient.close();
      await api.stop();
    }
  } finally {
    await pool.end();
    await db.drop();
  }
}

/** The writer's campaign (the seed's first) with its unit and dates, from GET /campaigns. */
async function campaignFacts(client: HttpClient, token: string, seed: SeedSummary) {
  const { campaigns } = (await client.expect('GET', '/campaigns?limit=100', token)) as {
    campaigns: { campaignId: string; unitId: string; startDate: string; endDate: string }[];
  };
  const campaign = campaigns.find((c) => c.campaignId === seed.campaignIds[0]);
  if (!campaign) throw new Error(`campaign ${seed.campaignIds[0]} is not listed`);
  return campaign;
}

export async function run(ctx: BenchContext): Promise<void> {
  const runs: SizeRun[] = [];
  for (const size of settings.sizes) runs.push(await measureSize(ctx, size));
  // A run beyond 1 M events (hours on this machine) is recorded beside the usual one, not over it.
  // So is a run with the worker apart from the API.
  const beyond = settings.sizes.filter((size) => size > 1_000_000);
  const suffix =
    (beyond.length ? `: ${beyond.map((s) => `${s / 1_000_000} M`).join(', ')} events` : '') +
    (settings.worker === 'apart' ? ' (worker apart)' : '');
  ctx.report(`Dashboard reads over HTTP${suffix}`, dashboardReport(runs, settings));
  ctx.report(`Projection lag under sustained writes${suffix}`, lagReport(runs, settings));
}
