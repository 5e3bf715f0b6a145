import type pg from 'pg';
import { liveSlot } from './checkpoints.js';

/** The projection has not reached the position a client asked for within the wait (HTTP 504). */
export class ProjectionNotReady extends Error {
  constructor(readonly projection: string, readonly minPosition: bigint, readonly checkpoint: bigint) {
    super(`projection ${projection} is at position ${checkpoint}, not yet at ${minPosition}`);
    this.name = 'ProjectionNotReady';
  }
}

export type LiveReadModel = Readonly<{ schema: string; position: bigint }>;

export const MIN_POSITION_WAIT_MS = 5_000;

/**
 * The schema a read should use (the projection's live slot) and its checkpoint. With `minPosition`, waits
 * until the checkpoint reaches it (read-your-writes after a command), up to `waitMs`.
 */
export async function liveReadModel(
  pool: pg.Pool,
  projection: string,
  minPosition?: bigint,
  waitMs = MIN_POSITION_WAIT_MS,
): Promise<LiveReadModel> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const slot = await liveSlot(pool, projection);
    const position = slot ? BigInt(slot.position) : 0n;
    if (slot && (minPosition === undefined || position >= minPosition)) return { schema: slot.schema_name, position };
    if (Date.now() >= deadline) throw new ProjectionNotReady(projection, minPosition ?? 0n, position);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
