/**
 * Issue 12 point 1: the verifiable log keeps up with appends. Over a generated province log (1 million
 * events by default, BENCH_AUDIT_EVENTS to change it): the Merkle tree built from position 0 the way
 * the runner does it (feed pages read through the store, leaves and new subtree hashes written in one
 * transaction per page), then inclusion proofs as the route answers them, at that size.
 * Targets: ≥ 50,000 events/s of tree maintenance; inclusion proofs p99 ≤ 10 ms.
 */
import { randomInt } from 'node:crypto';
import { loadavg } from 'node:os';
import pg from 'pg';
import {
  createPostgresEventStore,
  generateSignerKey,
  leafHash,
  migrateEventStore,
  verifyInclusion,
  type RecordedEvent,
} from '#event-store';
import { AuditLogRunner, migrateAuditLog } from '#projections';
import { activityWaves } from '../libs/projections/src/demo/activity-generator.js';
import { createScratchDatabase } from '../test/harness/database.js';
import { percentile, type BenchContext } from './bench-kit.js';
import { bulkLoad } from './projections.bench.js';

const EVENTS = Number(process.env.BENCH_AUDIT_EVENTS ?? 1_000_000);
const PAGE = 5_000; // the runner's default batch
const PROOFS = 2_000;

export async function run(ctx: BenchContext): Promise<void> {
  const db = await createScratchDatabase(ctx.databaseUrl, 'bench_audit_log');
  const pool = new pg.Pool({ connectionString: db.url, max: 8 });
  try {
    await migrateEventStore(pool);
    await migrateAuditLog(pool);
    const store = createPostgresEventStore({ pool });
    const loaded = await bulkLoad(pool, activityWaves({ targetEvents: EVENTS, seed: 2025 }));
    await pool.query('VACUUM ANALYZE events');
    console.log(`\nloaded ${loaded} events`);
    const log = new AuditLogRunner(pool, store, {
      signingKey: generateSignerKey('bench.local/log'),
      origin: 'bench.local/log',
      checkpointIntervalMs: 0,
    });

    // 1. The runner's catch-up from position 0, as a worker does it (next page read during an append).
    const loadStart = loadavg()[0]!.toFixed(2);
    let t0 = performance.now();
    await log.catchUp();
    const catchUpMs = performance.now() - t0;

    // 2. The tree alone: the same leaves again into emptied tables, pages read beforehand (only the
    // fields the tree uses), so that only hashing and writing the tree is timed.
    const root0 = await log.tree.root(loaded);
    await pool.query(
      'TRUNCATE audit_log_leaves, audit_log_hashes; UPDATE audit_log_state SET tree_size = 0, position = 0',
    );
    let treeMs = 0;
    for (let after = '-1'; ;) {
      const { rows: page } = await pool.query<{ event_id: string; p: string; hash: string }>(
        'SELECT event_id, global_position::text AS p, hash FROM events WHERE global_position > $1 ORDER BY global_position LIMIT $2',
        [after, PAGE],
      );
      if (!page.length) break;
      const events = page.map(
        (r) =>
          ({ eventId: r.event_id, globalPosition: BigInt(r.p), hash: r.hash }) as RecordedEvent,
      );
      t0 = performance.now();
      await log.tree.append(events);
      treeMs += performance.now() - t0;
      after = page[page.length - 1]!.p;
    }
    if (!(await log.tree.root(loaded)).equals(root0)) throw new Error('the two builds disagree');
    const { treeSize } = await log.tree.state();
    if (treeSize !== loaded) throw new Error(`tree holds ${treeSize} leaves for ${loaded} events`);
    t0 = performance.now();
    const checkpoint = (await log.sign())!;
    const signMs = performance.now() - t0;
    await pool.query('ANALYZE audit_log_hashes; ANALYZE audit_log_leaves');

    // Inclusion proofs as GET /audit/log/events/:id/inclusion answers them: latest checkpoint, the
    // event's leaf, the proof's stored hashes; each proof is checked (outside the timing).
    const { rows } = await pool.query<{ event_id: string }>(
      `SELECT event_id FROM audit_log_leaves WHERE leaf_index = ANY($1::bigint[])`,
      [Array.from({ length: PROOFS }, () => randomInt(treeSize))],
    );
    const root = Buffer.from(checkpoint.rootHash, 'base64');
    const latencies: number[] = [];
    for (const { event_id } of rows) {
      t0 = performance.now();
      const [latest, leaf] = await Promise.all([
        log.checkpoints.latest(),
        log.tree.leafOf(event_id),
      ]);
      const proof = await log.tree.inclusionProof(leaf!.leafIndex, latest!.treeSize);
      latencies.push(performance.now() - t0);
      const [event] = await store.readAll({
        fromPosition: leaf!.globalPosition - 1n,
        maxCount: 1,
      });
      const hash = leafHash(Buffer.from(event!.hash, 'hex'));
      if (!verifyInclusion(leaf!.leafIndex, treeSize, hash, proof, root))
        throw new Error(`inclusion proof of leaf ${leaf!.leafIndex} does not verify`);
    }
    const { rows: sizes } = await pool.query<{ hashes: string; leaves: string; bytes: string }>(
      `SELECT (SELECT count(*) FROM audit_log_hashes) AS hashes, (SELECT count(*) FROM audit_log_leaves) AS leaves,
              pg_total_relation_size('audit_log_hashes') + pg_total_relation_size('audit_log_leaves') AS bytes`,
    );
    const treeRate = treeSize / (treeMs / 1000);
    const catchUpRate = treeSize / (catchUpMs / 1000);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    const n = (x: number) => Math.round(x).toLocaleString('en');
    ctx.report('Verifiable log: Merkle tree and inclusion proofs', [
      `Log: ${n(loaded)} generated events (as in the projections bench), tree built from position 0 in pages of ${PAGE.toLocaleString('en')} events, one transaction per page (leaves, new complete-subtree hashes, state row). Stored: ${n(Number(sizes[0]!.leaves))} leaf rows (with the leaf hashes) and ${n(Number(sizes[0]!.hashes))} interior subtree hashes, ${(Number(sizes[0]!.bytes) / 2 ** 20).toFixed(0)} MiB with indexes.`,
      '',
      '| measure | value | target |',
      '| --- | ---: | --- |',
      `| tree maintenance alone (the same leaves again into emptied tables: hashes computed and written) | ${n(treeRate)} events/s | ≥ 50,000 ${treeRate >= 50_000 ? 'met' : 'NOT met'} |`,
      `| catch-up from the feed as the runner does it (store pages read while the previous one is appended) | ${n(catchUpRate)} events/s | |`,
      `| signing the checkpoint of size ${n(treeSize)} (root from stored hashes, Ed25519) | ${signMs.toFixed(1)} ms | |`,
      `| inclusion proof at ${n(treeSize)} leaves, p50 / p99 (${rows.length} random events) | ${p50.toFixed(2)} / ${p99.toFixed(2)} ms | p99 ≤ 10 ms ${p99 <= 10 ? 'met' : 'NOT met'} |`,
      '',
      `A proof's latency is what the route does: the latest checkpoint and the event's leaf by id (two queries at once), then one query for the ≤ 2·log2(n) stored hashes it folds; every proof was checked against the signed root. 1-minute load average at start / end: ${loadStart} / ${loadavg()[0]!.toFixed(2)} (2 cores shared with other work).`,
    ]);
  } finally {
    await pool.end();
    await db.drop();
  }
}
