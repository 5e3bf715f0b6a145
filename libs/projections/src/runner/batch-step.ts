import { readableEvents, type OnOddSchema } from '#domain';
import type { EventStore, RecordedEvent } from '#event-store';
import type pg from 'pg';
import { ident, rows, type Projection } from './projection.js';
import type { SlotRow } from './checkpoints.js';

export const CHANGES_CHANNEL = 'projection_changes';

/** A batch read once for a group of slots. */
export type Batch = Readonly<{
  events: RecordedEvent[];
  from: bigint;
  last: bigint;
  caughtUp: boolean;
}>;

/**
 * A batch in the current shape of every event type (#domain upcastEvent), read once for all the slots
 * that apply it: projections, rebuilds and snapshots all read here, so none sees an older shape. An
 * event the registry cannot bring up to date (a newer version, an unknown type) is applied as stored
 * and reported through `onOdd`; one no projection can use (#domain readableEvent: data not an object,
 * a key field missing) is left out of `events`, reported too, and `last` still passes it, so every
 * checkpoint moves past it instead of retrying the batch for ever. Sealed personal fields stay
 * sealed: projections keep them as they are (read-models/member-names.ts).
 */
export async function readBatch(
  store: EventStore,
  from: bigint,
  batchSize: number,
  onOdd?: OnOddSchema,
): Promise<Batch> {
  const stored = await store.readAll({
    fromPosition: from === 0n ? 'start' : from,
    maxCount: batchSize,
  });
  return {
    events: readableEvents(stored, onOdd),
    from,
    last: stored.length ? stored[stored.length - 1]!.globalPosition : from,
    caughtUp: stored.length < batchSize,
  };
}

/** `switched`: a rebuilt slot went live; `frozen`: a snapshot's slot passed its bound. */
export type SlotStep = Readonly<{
  slot: SlotRow;
  applied: number;
  switched: boolean;
  frozen: boolean;
}>;

/**
 * Applies a batch to one slot in one transaction: lock its checkpoint row, apply the events past its
 * checkpoint, advance the checkpoint, commit. Rows and checkpoint commit or vanish together, so a crash
 * anywhere neither loses nor repeats an event. `SKIP LOCKED`: when another process (worker, API, CLI)
 * holds the slot, this one leaves it alone; a slot that moved since the batch was read is filtered by
 * position. Commits need not wait for the WAL flush: a crash can only lose whole batches together with
 * their checkpoint, which are then simply applied again.
 */
export async function applyToSlot(
  pool: pg.Pool,
  projection: Projection,
  schema: string,
  batch: Batch,
): Promise<SlotStep | null> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // A batch looks rows up by key only; tables filling up during a rebuild have no statistics yet, and a
    // planner that guesses a sequential scan for `= ANY(thousands of keys)` makes a rebuild quadratic.
    await client.query('SET LOCAL synchronous_commit = off; SET LOCAL enable_seqscan = off');
    const [slot] = await rows<SlotRow>(
      client,
      `SELECT * FROM projection_checkpoints WHERE schema_name = $1 AND state IN ('live', 'building') FOR UPDATE SKIP LOCKED`,
      [schema],
    );
    const position = slot ? BigInt(slot.position) : 0n;
    if (!slot || position < batch.from) {
      await client.query('COMMIT');
      return null;
    }
    const unseen = batch.events.filter((event) => event.globalPosition > position);
    const share = unseen.filter(
      (event) => projection.handles.has(event.type) && inBounds(slot, event),
    );
    if (share.length) await projection.apply(share, { sql: client, schema });
    // Live changes only: a snapshot being built is not news for a dashboard following the present.
    if (share.length && slot.snapshot_id === null) {
      await client.query('SELECT pg_notify($1, $2)', [
        CHANGES_CHANNEL,
        JSON.stringify({
          projection: slot.projection,
          version: slot.version,
          state: slot.state,
          position: batch.last.toString(),
          events: share.length,
        }),
      ]);
    }
    const next = batch.last > position ? batch.last : position;
    // A snapshot's slot reads up to its stop; the rest of the last batch is not its work, and counted
    // would make a done job read more than its total.
    const read =
      slot.snapshot_id === null
        ? unseen.length
        : unseen.filter((event) => event.globalPosition <= BigInt(slot.stop_position ?? 0)).length;
    await client.query(
      `UPDATE projection_checkpoints SET position = $2, events_read = events_read + $3, updated_at = now() WHERE schema_name = $1`,
      [schema, next.toString(), read],
    );
    let switched = false;
    let frozen = false;
    let indexed = false;
    // A rebuild is done when it has caught up with the log and with the slot it replaces; a snapshot
    // when it has passed its bound.
    const done =
      slot.snapshot_id === null
        ? batch.caughtUp && !(slot.state === 'building' && (await behindLive(client, slot, next)))
        : next >= BigInt(slot.stop_position ?? 0);
    if (done) {
      if (!slot.indexed) {
        await projection.createIndexes?.(client, schema);
        // Tables filled since they were created have no statistics until autovacuum comes by (a minute
        // or more): the planner then guesses, and a member's audit hours at 1 M events took a parallel
        // scan of every shift, 20 ms instead of 1. Reads start here, so the statistics do too.
        await client.query(
          projection.tables.map((table) => `ANALYZE ${schema}.${ident(table)}`).join('; '),
        );
        await client.query(
          `UPDATE projection_checkpoints SET indexed = true WHERE schema_name = $1`,
          [schema],
        );
        indexed = true;
      }
      if (slot.state === 'building') {
        await finishSlot(client, slot, BigInt(slot.events_read) + BigInt(read));
        switched = slot.snapshot_id === null;
        frozen = !switched;
      }
    }
    await client.query('COMMIT');
    // The boards read member figures by index only, and an index-only scan still visits the heap for
    // every row on a page the visibility map does not mark all-visible: on a just-filled table, all of
    // them, until autovacuum comes by, which it then does while the first dashboards read. A VACUUM
    // outside the transaction sets the map at once (0.4 s for volunteer-activity's tables at 1 M events).
    // The batch is committed by then: a VACUUM that fails leaves the work to autovacuum, and must not
    // fail a rebuild that has already gone live.
    if (indexed)
      await client
        .query(`VACUUM ${projection.tables.map((table) => `${schema}.${ident(table)}`).join(', ')}`)
        .catch(() => undefined);
    return { slot, applied: share.length, switched, frozen };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** A snapshot up to a position or a time applies only what was recorded by then (metadata.recordedAt). */
function inBounds(slot: SlotRow, event: RecordedEvent): boolean {
  if (slot.stop_position !== null && event.globalPosition > BigInt(slot.stop_position))
    return false;
  if (slot.stop_time !== null && Date.parse(event.metadata.recordedAt) > slot.stop_time.getTime())
    return false;
  return true;
}

/**
 * Whether the live slot that the rebuilt `slot` would replace has passed `position`. A batch is the
 * last one as of when it was read, and a rebuild's group reads its next batch ahead and may keep it
 * for its next turn (ProjectionRunner's `jobTurnMs`), while the live slots run first and move on;
 * switched over then, every read would go back to an older checkpoint and older figures (API.md: the
 * live read models never move backwards). The live slot's row stays locked until this transaction
 * ends, so that it cannot move on between this look and the switch (a runner in another process).
 */
async function behindLive(client: pg.PoolClient, slot: SlotRow, position: bigint) {
  const [live] = await rows<{ position: string }>(
    client,
    `SELECT position FROM projection_checkpoints WHERE projection = $1 AND state = 'live' FOR UPDATE`,
    [slot.projection],
  );
  return live !== undefined && BigInt(live.position) > position;
}

/**
 * A building slot is complete. A rebuild's slot becomes the one reads use (the old one is retired and
 * dropped a little later); a snapshot's slot is frozen beside the live one. The job is done, and the
 * snapshot ready, when this was its last building slot.
 */
async function finishSlot(client: pg.PoolClient, slot: SlotRow, eventsRead: bigint): Promise<void> {
  // The slots of one job switch in their own, concurrent transactions. Each must see the others'
  // switch before deciding whether it was the last: without this lock two slots switching at once
  // each saw the other still building, and the job stayed 'running' for ever (READ COMMITTED write
  // skew). Held to commit, the lock makes the later transaction's next statements see the earlier one.
  if (slot.job_id)
    await client.query(`SELECT 1 FROM projection_jobs WHERE id = $1 FOR UPDATE`, [slot.job_id]);
  if (slot.snapshot_id === null) {
    await client.query(
      `UPDATE projection_checkpoints SET state = 'retired', updated_at = now() WHERE projection = $1 AND state = 'live'`,
      [slot.projection],
    );
  }
  await client.query(
    `UPDATE projection_checkpoints SET state = $2, updated_at = now() WHERE schema_name = $1`,
    [slot.schema_name, slot.snapshot_id === null ? 'live' : 'snapshot'],
  );
  if (slot.snapshot_id !== null) {
    await client.query(
      `UPDATE projection_snapshots SET state = 'ready', ready_at = now() WHERE id = $1 AND state = 'building'
         AND NOT EXISTS (SELECT 1 FROM projection_checkpoints WHERE snapshot_id = $1 AND state = 'building')`,
      [slot.snapshot_id],
    );
  }
  if (slot.job_id) {
    await client.query(
      `UPDATE projection_jobs SET processed = GREATEST(processed, $3), total = GREATEST(total, $3),
         state = CASE WHEN NOT EXISTS (SELECT 1 FROM projection_checkpoints WHERE job_id = $1 AND state = 'building' AND schema_name <> $2)
                      AND state = 'running' THEN 'done' ELSE state END,
         finished_at = CASE WHEN state = 'running' AND NOT EXISTS (SELECT 1 FROM projection_checkpoints WHERE job_id = $1 AND state = 'building' AND schema_name <> $2)
                      THEN now() ELSE finished_at END
       WHERE id = $1`,
      [slot.job_id, slot.schema_name, eventsRead.toString()],
    );
  }
}
