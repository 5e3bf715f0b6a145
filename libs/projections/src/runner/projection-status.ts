import type { EventStore } from '#event-store';
import type pg from 'pg';
import { listSlots } from './checkpoints.js';

export type ProjectionStatus = Readonly<{
  name: string;
  version: number;
  generation: number;
  state: 'live' | 'building';
  checkpoint: string;
  head: string;
  lag: number;
  jobId: string | null;
}>;

/** Lag is counted in events (positions are sparse), up to LAG_CAP: beyond it the exact figure matters little. */
export const LAG_CAP = 10_000;

export async function projectionStatus(
  pool: pg.Pool,
  store: EventStore,
): Promise<ProjectionStatus[]> {
  const head = await store.headPosition();
  // Snapshots' slots are listed with their snapshots (GET /admin/snapshots), not as projections.
  const slots = (await listSlots(pool)).filter((slot) => slot.snapshot_id === null);
  const lags = new Map<string, number>();
  for (const position of new Set(slots.map((s) => s.position))) {
    const behind =
      BigInt(position) >= head
        ? 0
        : await store.countAll({
            fromPosition: BigInt(position) === 0n ? 'start' : BigInt(position),
            maxCount: LAG_CAP,
          });
    lags.set(position, behind);
  }
  return slots.map((slot) => ({
    name: slot.projection,
    version: slot.version,
    generation: slot.generation,
    state: slot.state as 'live' | 'building',
    checkpoint: slot.position,
    head: head.toString(),
    lag: lags.get(slot.position) ?? 0,
    jobId: slot.job_id,
  }));
}
