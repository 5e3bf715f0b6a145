import type pg from 'pg';
import { FreshRead } from '#platform';
import { liveSlot } from './checkpoints.js';
import { rows } from './projection.js';

/** The projection has not reached the position a client asked for within the wait (HTTP 504). */
export class ProjectionNotReady extends Error {
  constructor(
    readonly projection: string,
    readonly minPosition: bigint,
    readonly checkpoint: bigint,
  ) {
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
export function liveReadModel(
  pool: pg.Pool,
  projection: string,
  minPosition?: bigint,
  waitMs = MIN_POSITION_WAIT_MS,
): Promise<LiveReadModel> {
  return reached(projection, minPosition, waitMs, async () => {
    const slot = await liveSlot(pool, projection);
    return slot ? { schema: slot.schema_name, position: BigInt(slot.position) } : undefined;
  });
}

/** Looks at the live slot every 50 ms until it exists and has reached `minPosition`, up to `waitMs`. */
export async function reached(
  projection: string,
  minPosition: bigint | undefined,
  waitMs: number,
  look: () => Promise<LiveReadModel | undefined>,
): Promise<LiveReadModel> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const slot = await look();
    if (slot && (minPosition === undefined || slot.position >= minPosition)) return slot;
    if (Date.now() >= deadline)
      throw new ProjectionNotReady(projection, minPosition ?? 0n, slot?.position ?? 0n);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The live slots of every projection, read by one statement for all the reads that ask at about the
 * same time (#platform FreshRead). The slot read is what a shared answer costs (the answer itself is
 * kept per checkpoint): with many dashboards open it was one round trip per request, most of them
 * answering the same thing.
 */
export class LiveSlots {
  private readonly slots: FreshRead<Map<string, LiveReadModel>>;

  constructor(pool: pg.Pool) {
    this.slots = new FreshRead(async () => {
      const found = await rows<{ projection: string; schema_name: string; position: string }>(
        pool,
        `SELECT projection, schema_name, position FROM projection_checkpoints WHERE state = 'live'`,
      );
      return new Map(
        found.map((slot) => [
          slot.projection,
          { schema: slot.schema_name, position: BigInt(slot.position) },
        ]),
      );
    });
  }

  read(): Promise<Map<string, LiveReadModel>> {
    return this.slots.read();
  }
}
