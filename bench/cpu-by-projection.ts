/**
 * CPU-seconds of a rebuild, per projection: this Node process (process.cpuUsage) plus every process of
 * the PostgreSQL cluster (/proc/<pid>/stat utime + stime of the postmaster and its children), before
 * and after. Wall times on the shared machine move with the others' load; CPU-seconds much less, so
 * this is what to compare between two versions of a projection (run both one after the other).
 *
 *   node tools/run-built.mjs dist/bench/cpu-by-projection.js <postgres url> <events> [projection…|all]
 *
 * The log (bench/projections.bench.ts's generated one) is loaded once into database `cpu_<events>` and
 * kept for the next run. Each projection is rebuilt alone, then `all` together (the bench's rebuild),
 * between two raw scans of the log. TIME_SQL=1 also lists the wall time spent per statement text;
 * BATCH=n reads n events per batch instead of 10,000.
 * Backends that exit during a run (autovacuum workers) take their CPU time with them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { createPostgresEventStore, migrateEventStore } from '#event-store';
import { ProjectionRunner, projections, startRebuild, syntheticOptions } from '#projections';
import { activityWaves } from '../libs/projections/src/demo/activity-generator.js';
import { bulkLoad } from './projections.bench.js';

const [url, eventsArg, ...names] = process.argv.slice(2);
if (!url || !eventsArg)
  throw new Error('usage: cpu-by-projection.js <postgres url> <events> [names…]');
// Wall time per statement text, from send to answer: it includes the wait for this process's own
// JavaScript, so it ranks statements rather than measuring PostgreSQL.
const timings = new Map<string, [number, number]>();
if (process.env.TIME_SQL) {
  const original = pg.Client.prototype.query as (...a: unknown[]) => unknown;
  (pg.Client.prototype as unknown as { query: unknown }).query = function (
    this: unknown,
    ...args: unknown[]
  ) {
    const result = original.apply(this, args);
    if (
      typeof args[0] === 'string' &&
      result &&
      typeof (result as Promise<unknown>).then === 'function'
    ) {
      const key = (args[0] as string)
        .replace(/\s+/g, ' ')
        .replace(/rm_[a-z0-9_]+/g, 'S')
        .slice(0, 90);
      const t = performance.now();
      void (result as Promise<unknown>).then(
        () => {
          const e = timings.get(key) ?? [0, 0];
          e[0] += performance.now() - t;
          e[1]++;
          timings.set(key, e);
        },
        () => undefined,
      );
    }
    return result;
  };
}
const EVENTS = Number(eventsArg);
/** Clock ticks per second of /proc/<pid>/stat (getconf CLK_TCK). */
const TICK = 100;

function pgCpu(postmaster: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      const pid = Number(entry);
      if (pid !== postmaster && ppid !== postmaster) continue;
      out.set(pid, (Number(fields[11]) + Number(fields[12])) / TICK);
    } catch {
      /* gone */
    }
  }
  return out;
}

const admin = new pg.Pool({ connectionString: url, max: 1 });
const dbName = `cpu_${EVENTS}`;
const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
if (!exists.rowCount) await admin.query(`CREATE DATABASE ${dbName}`);
const dbUrl = url!.replace(/\/[^/]*$/, `/${dbName}`);
const pool = new pg.Pool({ connectionString: dbUrl, max: 12, idleTimeoutMillis: 0 });
await migrateEventStore(pool);
const count = Number((await pool.query('SELECT count(*) AS n FROM events')).rows[0].n);
if (count === 0) {
  await bulkLoad(pool, activityWaves({ ...syntheticOptions(EVENTS, 2025), idPrefix: '' }));
  await pool.query('VACUUM ANALYZE events');
}
const backend = (await pool.query('SELECT pg_backend_pid() AS p')).rows[0].p as number;
const postmaster = Number(
  readFileSync(`/proc/${backend}/stat`, 'utf8').split(') ')[1]!.split(' ')[1],
);
const store = createPostgresEventStore({ pool });

async function measure(label: string, run: () => Promise<unknown>) {
  const pgBefore = pgCpu(postmaster);
  const nodeBefore = process.cpuUsage();
  const t = performance.now();
  await run();
  const wall = (performance.now() - t) / 1000;
  const node = process.cpuUsage(nodeBefore);
  const pgAfter = pgCpu(postmaster);
  let pgSec = 0;
  for (const [pid, after] of pgAfter) pgSec += after - (pgBefore.get(pid) ?? 0);
  const nodeSec = (node.user + node.system) / 1e6;
  console.log(
    `${label.padEnd(22)} node ${nodeSec.toFixed(2)} s  pg ${pgSec.toFixed(2)} s  total ${(nodeSec + pgSec).toFixed(2)} s  wall ${wall.toFixed(1)} s`,
  );
}

async function scan() {
  let after = '0';
  for (;;) {
    const { rows } = await pool.query(
      `SELECT global_position, stream_id, version, event_id, type, schema_version, data, metadata, hash, previous_hash
       FROM events WHERE global_position > $1 ORDER BY global_position LIMIT 10000`,
      [after],
    );
    if (rows.length < 10000) return;
    after = rows[rows.length - 1].global_position;
  }
}
await measure('raw scan', scan);
const chosen = names.length ? names : [...projections.map((p) => p.name), 'all'];
for (const name of chosen) {
  const set = name === 'all' ? projections : projections.filter((p) => p.name === name);
  const runner = new ProjectionRunner(pool, store, set, {
    batchSize: Number(process.env.BATCH ?? 10_000),
    retireGraceMs: 0,
  });
  await runner.prepare();
  await runner.catchUp();
  await startRebuild(pool, set, name === 'all' ? {} : { projection: name });
  await measure(name, () => runner.catchUp());
  await runner.runOnce(); // drop retired
}
await measure('raw scan', scan);
for (const [k, [ms, n]] of [...timings].sort((a, b) => b[1][0] - a[1][0]).slice(0, 25))
  console.log(`${(ms / 1000).toFixed(2).padStart(7)} s ${String(n).padStart(5)}  ${k}`);
await pool.end();
await admin.end();
