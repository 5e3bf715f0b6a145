import type { EventStore, RecordedEvent } from '#event-store';
import type pg from 'pg';
import { rows, type EventRevealer, type Projection } from './projection.js';
import type { SlotRow } from './checkpoints.js';

export const CHANGES_CHANNEL = 'projection_changes';

export type StepResult = Readonly<{ events: number; applied: number; caughtUp: boolean; switched: string[] }>;

/**
 * One batch for a group of slots that move together (the live slots, or the slots of one rebuild job):
 * lock their checkpoints, read the next events once, let each projection apply its share through the
 * same transaction, advance the checkpoints and commit. Rows and checkpoints commit or vanish together,
 * so a crash anywhere neither loses nor repeats an event. `SKIP LOCKED` lets several processes (the
 * worker, the API, the CLI) run the same slots: whoever holds a slot's row does its next batch.
 */
export async function stepSlots(
  pool: pg.Pool,
  store: EventStore,
  projections: ReadonlyMap<string, Projection>,
  schemas: readonly string[],
  options: { batchSize: number; revealer?: EventRevealer },
): Promise<StepResult> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const slots = await rows<SlotRow>(
      client,
      `SELECT * FROM projection_checkpoints WHERE schema_name = ANY($1) AND state IN ('live', 'building')
       ORDER BY schema_name FOR UPDATE SKIP LOCKED`,
      [schemas],
    );
    const active = slots.filter((slot) => projections.has(slot.projection));
    if (!active.length) {
      await client.query('COMMIT');
      return { events: 0, applied: 0, caughtUp: true, switched: [] };
    }
    const from = active.reduce((min, slot) => (BigInt(slot.position) < min ? BigInt(slot.position) : min), BigInt(active[0]!.position));
    const read = await store.readAll({ fromPosition: from === 0n ? 'start' : from, maxCount: options.batchSize });
    const events = await reveal(read, options.revealer);
    const caughtUp = read.length < options.batchSize;
    const last = events.length ? events[events.length - 1]!.globalPosition : from;
    let applied = 0;
    const switched: string[] = [];
    for (const slot of active) {
      const projection = projections.get(slot.projection)!;
      const position = BigInt(slot.position);
      const share = events.filter((event) => event.globalPosition > position && projection.handles.has(event.type) && inBounds(slot, event));
      if (share.length) {
        await projection.apply(share, { sql: client, schema: slot.schema_name });
        applied += share.length;
        await client.query('SELECT pg_notify($1, $2)', [
          CHANGES_CHANNEL,
          JSON.stringify({ projection: slot.projection, version: slot.version, state: slot.state, position: last.toString(), events: share.length }),
        ]);
      }
      const next = last > position ? last : position;
      await client.query(`UPDATE projection_checkpoints SET position = $2, updated_at = now() WHERE schema_name = $1`, [slot.schema_name, next.toString()]);
      if (slot.state === 'building') {
        if (caughtUp) {
          await switchOver(client, slot);
          switched.push(slot.schema_name);
        }
      }
    }
    // Progress of a rebuild in events (positions are sparse): the group reads each event once.
    const jobs = [...new Set(active.filter((slot) => slot.state === 'building').map((slot) => slot.job_id).filter((id): id is string => id !== null))];
    if (jobs.length && events.length) {
      await client.query(`UPDATE projection_jobs SET processed = processed + $2, total = GREATEST(total, processed + $2) WHERE id = ANY($1)`, [jobs, events.length]);
    }
    await client.query('COMMIT');
    return { events: events.length, applied, caughtUp, switched };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** A rebuild up to a position or a time applies only what was recorded by then (recordedAt). */
function inBounds(slot: SlotRow, event: RecordedEvent): boolean {
  if (slot.stop_position !== null && event.globalPosition > BigInt(slot.stop_position)) return false;
  if (slot.stop_time !== null && Date.parse(event.metadata.recordedAt) > slot.stop_time.getTime()) return false;
  return true;
}

/** The new slot becomes the one reads use; the old one is retired and dropped a little later. */
async function switchOver(client: pg.PoolClient, slot: SlotRow): Promise<void> {
  await client.query(
    `UPDATE projection_checkpoints SET state = 'retired', updated_at = now() WHERE projection = $1 AND state = 'live'`,
    [slot.projection],
  );
  await client.query(`UPDATE projection_checkpoints SET state = 'live', updated_at = now() WHERE schema_name = $1`, [slot.schema_name]);
  if (slot.job_id) {
    await client.query(
      `UPDATE projection_jobs SET state = 'done', finished_at = now()
       WHERE id = $1 AND state = 'running'
         AND NOT EXISTS (SELECT 1 FROM projection_checkpoints WHERE job_id = $1 AND state = 'building' AND schema_name <> $2)`,
      [slot.job_id, slot.schema_name],
    );
  }
}

/**
 * Member names are sealed in the log; the vault opens them (or answers null once the member's key is
 * destroyed). Only MemberEnrolled carries a name a read model shows, so only those go through it.
 */
async function reveal(events: RecordedEvent[], revealer?: EventRevealer): Promise<RecordedEvent[]> {
  const sealed = events.filter((event) => event.type === 'MemberEnrolled');
  if (!sealed.length) return events;
  const opened = new Map((revealer ? await revealer.revealEvents(sealed) : sealed).map((event) => [event.eventId, event]));
  return events.map((event) => {
    if (event.type !== 'MemberEnrolled') return event;
    const name = opened.get(event.eventId)?.data.displayName;
    return { ...event, data: { ...event.data, displayName: typeof name === 'string' ? name : null } };
  });
}
