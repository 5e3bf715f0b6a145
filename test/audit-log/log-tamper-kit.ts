import pg from 'pg';
import {
  chainHash,
  createPostgresEventStore,
  generateSignerKey,
  migrateEventStore,
  parseSignerKey,
  toRecordedEvent,
  type EventRow,
} from '#event-store';
import { AuditLogRunner, migrateAuditLog, type FeedReader } from '#projections';
import { activityWaves, appendWaves } from '../../libs/projections/src/demo/activity-generator.js';
import { createTestDatabase } from '../harness/database.js';

/** The feed as one connection sees it: inside a tampering transaction, its own changes included. */
export const feedOf =
  (sql: pg.ClientBase): FeedReader =>
  async (from, maxCount) =>
    (
      await sql.query<EventRow>(
        `SELECT * FROM events WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
        [from === 'start' ? -1 : from.toString(), maxCount],
      )
    ).rows.map(toRecordedEvent);

/**
 * A database with a realistic history of `events` events, the tree over it and a checkpoint; then
 * more events and a later checkpoint, so that `verify log` has a consistency proof to check.
 */
export async function tamperFixture(prefix: string, events: number) {
  const db = await createTestDatabase(prefix);
  const pool = new pg.Pool({ connectionString: db.url, max: 6 });
  await migrateEventStore(pool);
  await migrateAuditLog(pool);
  const store = createPostgresEventStore({ pool });
  const signingKey = generateSignerKey('tamper.test/log');
  const log = new AuditLogRunner(pool, store, {
    signingKey,
    origin: 'tamper.test/log',
    checkpointIntervalMs: 0,
  });
  // One history, cut in two: the checkpoint kept by the auditor, then a quarter more events.
  const waves = [
    ...activityWaves({ targetEvents: events, members: 12, concurrentShifts: 6, seed: 1 }),
  ];
  const cut = Math.round(waves.length * 0.75);
  await appendWaves(store, waves.slice(0, cut));
  await log.catchUp();
  const held = (await log.sign())!;
  await appendWaves(store, waves.slice(cut));
  await log.catchUp();
  await log.sign();
  return {
    url: db.url,
    signingKey,
    pool,
    store,
    log,
    held,
    verifierKey: parseSignerKey(signingKey).verifierKey,
    close: async () => {
      await store.close();
      await pool.end();
      await db.drop();
    },
  };
}

/** Rewrites a stream from `version` on with its data edited, its chain recomputed and stored. */
export async function rewriteStream(
  sql: pg.ClientBase,
  streamId: string,
  version: number,
): Promise<void> {
  const rows = (
    await sql.query<EventRow>('SELECT * FROM events WHERE stream_id = $1 ORDER BY version', [
      streamId,
    ])
  ).rows.map(toRecordedEvent);
  let previous = rows[version - 1]?.hash ?? null;
  for (const event of rows.slice(version)) {
    const data =
      event.streamVersion === BigInt(version) ? { ...event.data, forged: true } : event.data;
    const hash = chainHash(previous, { ...event, data });
    await sql.query(
      'UPDATE events SET data = $3, hash = $4, previous_hash = $5 WHERE stream_id = $1 AND version = $2',
      [streamId, event.streamVersion.toString(), data, hash, previous],
    );
    previous = hash;
  }
}
