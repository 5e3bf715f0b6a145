/**
 * Issue 4 point 6: a full rebuild of every projection over a generated province log (1 million events by
 * default, BENCH_PROJECTION_EVENTS to change it), beside a raw scan-and-parse of the same log: the floor
 * any projection run must read through. Targets (issue 10 point 3): at least 60,000 events/s, and at
 * least half the raw scan's rate measured in the same run.
 */
import { loadavg } from 'node:os';
import pg from 'pg';
import { chainHash, createPostgresEventStore, migrateEventStore } from '#event-store';
import {
  auditMemberHours,
  campaignProgress,
  digitalSkills,
  liveReadModel,
  memberLeaderboard,
  ProjectionRunner,
  programmeRollup,
  projections,
  READS,
  ReadModelReader,
  unitLeaderboard,
  unitProgrammes,
  syntheticOptions,
  unitSummary,
} from '#projections';
import { activityWaves, type Append } from '../libs/projections/src/demo/activity-generator.js';
import { createScratchDatabase } from '../test/harness/database.js';
import { percentile, type BenchContext } from './bench-kit.js';
import { liveReads } from './live-reads.js';

const EVENTS = Number(process.env.BENCH_PROJECTION_EVENTS ?? 1_000_000);
const BATCH = 10_000;
const TARGET = 60_000;
const TARGET_RATIO = 0.5;

const LOAD_CHUNK = 20_000;

/**
 * Loads the generated waves straight into the PostgreSQL adapter's table, the way its append does
 * (positions `(transaction id << 20) + ordinal`, SHA-256 chain per stream) but 20,000 events per
 * statement across many streams. The waves are `seed synthetic`'s (activityWaves with
 * syntheticOptions); what differs is only the way in: the command line appends each stream's events in
 * its own transaction, 16 at a time (3,000–4,000 events/s on the shared machine, about 5 minutes for a
 * million), this one statement per 20,000 events (about a minute), and a rebuild reads the same rows
 * either way. Names stay unsealed here: no projection opens them. The bench then verifies sample
 * chains through the store; the dashboard bench writes its histories through the command line itself.
 */
export async function bulkLoad(pool: pg.Pool, waves: Iterable<Append[]>): Promise<number> {
  const heads = new Map<string, { version: number; hash: string }>();
  let chunk: unknown[] = [];
  let loaded = 0;
  let inFlight: Promise<unknown> = Promise.resolve();
  // Chunks are inserted one after the other (their transaction ids give the log order), while the
  // next chunk is generated and hashed.
  const flush = async () => {
    if (!chunk.length) return;
    const json = JSON.stringify(chunk);
    const size = chunk.length;
    chunk = [];
    await inFlight;
    inFlight = pool.query(
      `INSERT INTO events (global_position, stream_id, version, event_id, type, schema_version, data, metadata, hash, previous_hash)
       SELECT (pg_current_xact_id()::text::bigint << 20) + (e.ord - 1), e.sid, e.v, e.id, e.t, e.s, e.d, e.m, e.h, e.p
       FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (sid text, v bigint, id text, t text, s integer, d jsonb, m jsonb, h text, p text))
         WITH ORDINALITY AS e(sid, v, id, t, s, d, m, h, p, ord)`,
      [json],
    );
    loaded += size;
    if (loaded % 100_000 < size) process.stdout.write(`\rloaded ${loaded} events`);
  };
  for (const wave of waves) {
    for (const { streamId, events } of wave) {
      let head = heads.get(streamId);
      for (const event of events) {
        const version = head ? head.version + 1 : 0;
        const hash = chainHash(head?.hash ?? null, {
          ...event,
          streamId,
          streamVersion: BigInt(version),
        });
        chunk.push({
          sid: streamId,
          v: version,
          id: event.eventId,
          t: event.type,
          s: event.schemaVersion,
          d: event.data,
          m: event.metadata,
          h: hash,
          p: head?.hash ?? null,
        });
        head = { version, hash };
      }
      heads.set(streamId, head!);
    }
    if (chunk.length >= LOAD_CHUNK) await flush();
  }
  await flush();
  await inFlight;
  return loaded;
}

/** Pages of the events table in position order, rows parsed by pg (jsonb → objects): no projection work at all. */
async function rawScan(pool: pg.Pool): Promise<number> {
  let after = '0';
  let events = 0;
  for (;;) {
    const { rows } = await pool.query<{
      global_position: string;
      data: unknown;
      metadata: unknown;
    }>(
      `SELECT global_position, stream_id, version, event_id, type, schema_version, data, metadata, hash, previous_hash
       FROM events WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
      [after, BATCH],
    );
    events += rows.length;
    if (rows.length < BATCH) return events;
    after = rows[rows.length - 1]!.global_position;
  }
}

const QUERY_ROUNDS = 30;

/**
 * What a dashboard's reads cost once the read models hold a province's worth of facts: each query of
 * API.md run one after the other, p50 and p99 of QUERY_ROUNDS rounds (the first round warms the cache).
 */
async function queryLatencies(
  pool: pg.Pool,
  activity: string,
  audit: string,
  programmes: string,
): Promise<string[]> {
  const queries: [string, () => Promise<unknown>][] = [
    ['GET /campaigns/c0/progress', () => campaignProgress(pool, activity, 'c0')],
    [
      'GET /leaderboards/members?metric=citizensAssisted',
      () => memberLeaderboard(pool, activity, { metric: 'citizensAssisted', limit: 20 }),
    ],
    [
      'GET /leaderboards/members?metric=verifiedHours',
      () => memberLeaderboard(pool, activity, { metric: 'verifiedHours', limit: 20 }),
    ],
    [
      'GET /leaderboards/members?metric=verifiedHours&campaignId=c0',
      () =>
        memberLeaderboard(pool, activity, { metric: 'verifiedHours', campaignId: 'c0', limit: 20 }),
    ],
    [
      'GET /leaderboards/members?metric=citizensAssisted&unitId=p0&from=…&to=… (a week)',
      () =>
        memberLeaderboard(pool, activity, {
          metric: 'citizensAssisted',
          unitId: 'p0',
          from: '2025-03-03T00:00:00+07:00',
          to: '2025-03-10T00:00:00+07:00',
          limit: 20,
        }),
    ],
    [
      'GET /leaderboards/units?metric=citizensAssisted',
      () => unitLeaderboard(pool, activity, { metric: 'citizensAssisted', limit: 20 }),
    ],
    ['GET /units/p0/summary (the root: every fact)', () => unitSummary(pool, activity, 'p0')],
    ['GET /audit/members/m0/hours', () => auditMemberHours(pool, audit, { memberId: 'm0' })],
    // Issue 14: the summary's programme fields, the subtree's skill shares and a quarter's programmes.
    ['(summary) programme figures of p0', () => programmeRollup(pool, programmes, 'p0')],
    ['GET /units/p0/digital-skills', () => digitalSkills(pool, programmes, 'p0')],
    [
      'GET /units/d0/programmes?from=2025-01-01&to=2025-03-31',
      () =>
        unitProgrammes(pool, programmes, 'd0', {
          from: '2024-12-31T17:00:00Z',
          to: '2025-03-31T17:00:00Z',
          limit: 500,
        }),
    ],
  ];
  const lines = ['| query | p50 ms | p99 ms |', '| --- | ---: | ---: |'];
  for (const [name, query] of queries) {
    const latencies: number[] = [];
    for (let round = 0; round <= QUERY_ROUNDS; round++) {
      const started = performance.now();
      await query();
      if (round > 0) latencies.push(performance.now() - started);
    }
    lines.push(
      `| ${name} | ${percentile(latencies, 50).toFixed(1)} | ${percentile(latencies, 99).toFixed(1)} |`,
    );
  }
  // What the API does with a crowd of dashboards: one snapshot answer shared per checkpoint.
  const viewers = 50;
  const reader = new ReadModelReader(pool);
  const crowd = async (ask: () => Promise<unknown>) => {
    const started = performance.now();
    await Promise.all(Array.from({ length: viewers }, ask));
    return performance.now() - started;
  };
  const alone = await crowd(() => campaignProgress(pool, activity, 'c0'));
  const shared = await crowd(() =>
    reader.read(READS.campaignProgress, 'progress c0', (sql, schema) =>
      campaignProgress(sql, schema, 'c0'),
    ),
  );
  lines.push(
    '',
    `${viewers} dashboards asking for GET /campaigns/c0/progress at once: ${alone.toFixed(0)} ms when each computes it, ` +
      `${shared.toFixed(0)} ms through the API's ReadModelReader (one snapshot answer per checkpoint, shared).`,
  );
  return lines;
}

export async function run(ctx: BenchContext): Promise<void> {
  const db = await createScratchDatabase(ctx.databaseUrl, 'bench_projections');
  const pool = new pg.Pool({ connectionString: db.url, max: 12 });
  try {
    await migrateEventStore(pool);
    const store = createPostgresEventStore({ pool });
    let started = performance.now();
    const appended = {
      // `seed synthetic --events EVENTS --seed 2025`'s history (same generator, same options), without
      // the `syn2025.` id prefix that lets seeds share a log: this log holds one.
      events: await bulkLoad(
        pool,
        activityWaves({ ...syntheticOptions(EVENTS, 2025), idPrefix: '' }),
      ),
    };
    const appendSeconds = (performance.now() - started) / 1000;
    console.log(`\ngenerated ${appended.events} events in ${appendSeconds.toFixed(1)} s`);
    await pool.query('VACUUM ANALYZE events');
    for (const streamId of ['unit-p0', 'member-m0', 'shift-s0', 'shift-s1000', 'campaign-c1']) {
      const check = await store.verifyStream(streamId);
      if (!check.valid || check.events === 0)
        throw new Error(`generated stream ${streamId} does not verify`);
    }

    started = performance.now();
    const scanned = await rawScan(pool);
    const scanSeconds = (performance.now() - started) / 1000;

    const runner = new ProjectionRunner(pool, store, projections, { batchSize: BATCH });
    await runner.prepare();
    const load = loadavg()[0]!.toFixed(2);
    started = performance.now();
    await runner.catchUp();
    const rebuildSeconds = (performance.now() - started) / 1000;
    const status = await runner.status();
    const schemaOf = async (projection: string) => (await liveReadModel(pool, projection)).schema;
    const [activity, audit, cadence, programmes] = [
      await schemaOf(READS.campaignProgress),
      await schemaOf(READS.auditTrail),
      await schemaOf(READS.postingCadence),
      await schemaOf(READS.programmesSkills),
    ];
    const counts = await pool.query<{
      shifts: string;
      assistance: string;
      audit: string;
      posts: string;
    }>(`
      SELECT (SELECT count(*) FROM ${activity}.shifts) AS shifts,
             (SELECT count(*) FROM ${activity}.assistance) AS assistance,
             (SELECT count(*) FROM ${audit}.audit_shifts) AS audit,
             (SELECT count(*) FROM ${cadence}.cadence_posts) AS posts`);
    const c = counts.rows[0]!;
    await pool.query('ANALYZE');
    const latencies = await queryLatencies(pool, activity, audit, programmes);
    const live = await liveReads(pool, store, runner, activity, appended.events);
    const rate = appended.events / rebuildSeconds;
    const scanRate = scanned / scanSeconds;
    ctx.report('Projections: full rebuild', [
      `Log: ${appended.events.toLocaleString('en')} generated events (units, members, campaigns, shifts with assistance, ends, corrections, verifications, rejections, clubs, posts, programmes with replaced head counts, members' skills, erasures), loaded in ${appendSeconds.toFixed(1)} s straight into the adapter's table with its positions and hash chains (sample streams verified through the store).`,
      `Rebuild: all ${projections.length} projections (${projections.map((p) => p.name).join(', ')}) from position 0 into empty tables, batches of ${BATCH} events, one transaction per batch with its checkpoints.`,
      '',
      '| run | events | seconds | events/s |',
      '| --- | ---: | ---: | ---: |',
      `| raw scan and parse (SELECT pages of the events table, rows parsed) | ${scanned.toLocaleString('en')} | ${scanSeconds.toFixed(1)} | ${Math.round(scanRate).toLocaleString('en')} |`,
      `| full rebuild of all projections | ${appended.events.toLocaleString('en')} | ${rebuildSeconds.toFixed(1)} | ${Math.round(rate).toLocaleString('en')} |`,
      '',
      `Ratio rebuild / raw scan: ${(rate / scanRate).toFixed(2)} (rebuild takes ${(rebuildSeconds / scanSeconds).toFixed(1)}× the time of reading the log). Targets ≥ ${TARGET.toLocaleString('en')} events/s: ${rate >= TARGET ? 'met' : 'NOT met'}; ratio ≥ ${TARGET_RATIO}: ${rate / scanRate >= TARGET_RATIO ? 'met' : 'NOT met'}.`,
      `Machine load (1-minute average) when the rebuild started: ${load} on ${(await import('node:os')).cpus().length} cores shared with other work; figures move with it.`,
      `Rows written: ${Number(c.shifts).toLocaleString('en')} shifts, ${Number(c.assistance).toLocaleString('en')} assistance, ${Number(c.audit).toLocaleString('en')} audited shifts, ${Number(c.posts).toLocaleString('en')} posts; lag after the run: ${status.map((s) => `${s.name} ${s.lag}`).join(', ')}.`,
      '',
      `Dashboard reads on these read models (the query functions behind the routes, straight on the pool, ${QUERY_ROUNDS} rounds each after one to warm up):`,
      '',
      ...latencies,
      '',
      ...live,
    ]);
  } finally {
    await pool.end();
    await db.drop();
  }
}
