/**
 * Issue 12 point 1: the verifiable log keeps up with appends. Over a generated province log (1 million
 * events by default, BENCH_AUDIT_EVENTS to change it): the Merkle tree built from position 0 the way
 * the runner does it (feed pages read through the store, leaves and new subtree hashes written in one
 * transaction per page), then inclusion proofs as the route answers them, at that size.
 * Targets: ≥ 50,000 events/s of tree maintenance; inclusion proofs p99 ≤ 10 ms. Last, the hours
 * certificate of a member whose one shift holds the 10,000 assistance records a shift may take
 * (every event with its inclusion proof), at that size.
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
import {
  AuditLogRunner,
  checkCertificate,
  issueHoursCertificate,
  migrateAuditLog,
} from '#projections';
import { activityWaves, nameUuid } from '../libs/projections/src/demo/activity-generator.js';
import { createScratchDatabase } from '../test/harness/database.js';
import { percentile, type BenchContext } from './bench-kit.js';
import { bulkLoad } from './projections.bench.js';

const EVENTS = Number(process.env.BENCH_AUDIT_EVENTS ?? 1_000_000);
const PAGE = 5_000; // the runner's default batch
const PROOFS = 2_000;
/** The most assistance records a shift takes (`422 shift_assistance_full` beyond). */
const SHIFT_ASSISTANCE_MAX = 10_000;

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
    // The hours certificate of a member with one shift of SHIFT_ASSISTANCE_MAX assistance records,
    // appended at the head of the log, as GET /audit/members/:id/certificate builds it.
    const certificate = await largeShiftCertificate(store, log);
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
      `| hours certificate of a member with one shift of ${n(certificate.events)} events (every event's inclusion proof at ${n(certificate.treeSize)} leaves), checked offline | ${(certificate.ms / 1000).toFixed(2)} s, ${(certificate.bytes / 2 ** 20).toFixed(1)} MiB of JSON | |`,
      '',
      `A proof's latency is what the route does: the latest checkpoint and the event's leaf by id (two queries at once), then one query for the ≤ 2·log2(n) stored hashes it folds; every proof was checked against the signed root. 1-minute load average at start / end: ${loadStart} / ${loadavg()[0]!.toFixed(2)} (2 cores shared with other work).`,
    ]);
  } finally {
    await pool.end();
    await db.drop();
  }
}

/**
 * Appends one shift of SHIFT_ASSISTANCE_MAX assistance records, brings the tree up and signs it, then
 * times the member's hours certificate (the route's builder) and checks it as a volunteer would.
 */
async function largeShiftCertificate(
  store: ReturnType<typeof createPostgresEventStore>,
  log: AuditLogRunner,
) {
  const shiftId = 'bench.large-shift';
  const streamId = `shift-${shiftId}`;
  const start = Date.parse('2025-06-01T01:00:00Z');
  const iso = (ms: number) => new Date(ms).toISOString();
  const event = (version: number, type: string, data: Record<string, unknown>, ms: number) => ({
    eventId: nameUuid(`${streamId}/${version}`),
    type,
    schemaVersion: 1,
    data,
    metadata: {
      occurredAt: iso(ms),
      recordedAt: iso(ms),
      recordedBy: 'bench.member',
      commandId: `${streamId}/${version}`,
      correlationId: streamId,
      causationId: null,
    },
  });
  const base = { shiftId, memberId: 'bench.member', campaignId: null };
  const events = [
    event(0, 'ShiftStarted', { ...base, location: 'Phường 1', startedAt: iso(start) }, start),
    ...Array.from({ length: SHIFT_ASSISTANCE_MAX }, (_, i) =>
      event(
        i + 1,
        'CitizenAssisted',
        {
          ...base,
          assistanceId: `${shiftId}.a${i}`,
          serviceType: 'eid_activation',
          citizens: 1,
          occurredAt: iso(start + 1000 * (i + 1)),
          citizenRef: null,
        },
        start + 1000 * (i + 1),
      ),
    ),
    event(
      SHIFT_ASSISTANCE_MAX + 1,
      'ShiftEnded',
      { shiftId, endedAt: iso(start + 4 * 3_600_000) },
      start + 4 * 3_600_000,
    ),
  ];
  for (let at = 0; at < events.length; at += 1_000)
    await store.append(streamId, events.slice(at, at + 1_000), { expectedVersion: 'any' });
  await log.catchUp();
  await log.sign();
  const t0 = performance.now();
  const certificate = await issueHoursCertificate(store, log, {
    memberId: 'bench.member',
    shiftIds: [shiftId],
  });
  const bytes = Buffer.byteLength(JSON.stringify(certificate));
  const ms = performance.now() - t0;
  const failures = checkCertificate(certificate, log.verifierKey);
  if (failures.length) throw new Error(`the certificate does not check: ${failures[0]}`);
  const held = certificate.shifts.flatMap((s) => s.events).length;
  if (held !== events.length)
    throw new Error(`the certificate holds ${held} of ${events.length} events`);
  return { events: held, treeSize: (await log.tree.state()).treeSize, ms, bytes };
}
