import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createPostgresEventStore, migrateEventStore } from '#event-store';
import { ProjectionRunner, liveReadModel, projections, type Projection } from '#projections';
import { createTestDatabase } from '../../harness/database.js';

export type Fixture = Awaited<ReturnType<typeof projectionFixture>>;

/**
 * A database of its own with the event store migrated, and a runner over every projection (prepared:
 * the read models' tables migrated and their slots made, as the worker does at start).
 */
export async function projectionFixture(
  prefix: string,
  options: {
    projections?: readonly Projection[];
    batchSize?: number;
    log?: (message: string) => void;
  } = {},
) {
  const db = await createTestDatabase(prefix);
  const pool = new pg.Pool({ connectionString: db.url, max: 6 });
  await migrateEventStore(pool);
  const store = createPostgresEventStore({ pool });
  const runner = new ProjectionRunner(pool, store, options.projections ?? projections, {
    batchSize: options.batchSize ?? 1000,
    idleMs: 20,
    log: options.log,
  });
  await runner.prepare();
  let streamCounter = 0;
  let lastPosition = 0n;

  /** Appends one event as the command path would, with the envelope metadata projections read. */
  async function append(
    streamId: string,
    type: string,
    data: Record<string, unknown>,
    meta: { occurredAt?: string; recordedAt?: string; recordedBy?: string } = {},
  ) {
    const at = meta.recordedAt ?? meta.occurredAt ?? new Date().toISOString();
    const result = await store.append(
      streamId,
      [
        {
          eventId: randomUUID(),
          type,
          schemaVersion: 1,
          data,
          metadata: {
            occurredAt: meta.occurredAt ?? at,
            recordedAt: at,
            recordedBy: meta.recordedBy ?? 'coordinator-1',
            commandId: randomUUID(),
            correlationId: randomUUID(),
            causationId: null,
          },
        },
      ],
      { expectedVersion: 'any' },
    );
    streamCounter += 1;
    if (result.position > lastPosition) lastPosition = result.position;
    return result.position;
  }

  return {
    url: db.url,
    pool,
    store,
    runner,
    append,
    get appended() {
      return streamCounter;
    },
    get lastPosition() {
      return lastPosition;
    },
    /** Events appended without `append` (bulk generators): settle waits for this position too. */
    track(position: bigint) {
      if (position > lastPosition) lastPosition = position;
    },
    /**
     * Runs batches until every live slot has applied the last event this test appended. The feed may
     * hold events back while any transaction of the shared cluster is open, so "caught up with the
     * visible head" is not enough.
     */
    async settle(timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await runner.runOnce();
        const { rows: live } = await pool.query<{ position: string }>(
          `SELECT position FROM projection_checkpoints WHERE state = 'live'`,
        );
        if (live.every((slot) => BigInt(slot.position) >= lastPosition)) return;
        if (Date.now() > deadline)
          throw new Error(`projections did not reach position ${lastPosition}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async schema(projection: string, minPosition?: bigint) {
      return (await liveReadModel(pool, projection, minPosition, 0)).schema;
    },
    async close() {
      await runner.stop();
      await pool.end();
      await db.drop();
    },
  };
}
