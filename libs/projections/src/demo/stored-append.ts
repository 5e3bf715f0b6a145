/**
 * What `seed synthetic --resume` checks before it writes: whether one generated append is already
 * stored, by its stream's events at the versions the append starts at: their event ids, types, data
 * and metadata (sealed names aside: they differ from run to run; the event ids alone would not do,
 * they are named after the stream and version). A stored part that is not the generated
 * history (another --events, another writer) is refused before anything is written.
 */
import type { EventStore, ExpectedVersion, NewEvent } from '#event-store';
import { isSealed } from '#platform';
import type { ActivityOptions, Append } from './activity-generator.js';

/** An append of the wave still to write, and the version its stream must be at (exact once checked). */
export type Pending = Readonly<{ append: Append; expected: ExpectedVersion }>;

/** What of a wave is stored: its appends stored and their events and last position, the rest pending. */
export type CheckedWave = Readonly<{
  pending: Pending[];
  stored: Append[];
  events: number;
  position: bigint;
}>;

/** Appends checked at once: as many as a wave writes at once (APPENDS_IN_FLIGHT, the pool's size). */
const CHECKS_IN_FLIGHT = 16;

/**
 * Checks every append of the wave, 16 at a time, at the versions `versions` (each stream's next
 * version, advanced here past the wave) says it starts at. A pending append must find its stream at
 * exactly the version before it. `unwritten` are streams with an append pending in the wave before
 * (found ending just before it): their appends in this wave are pending without a read.
 */
export async function checkWave(
  store: Pick<EventStore, 'readStream'>,
  wave: readonly Append[],
  versions: Map<string, bigint>,
  options: ActivityOptions,
  unwritten: ReadonlySet<string> = new Set(),
): Promise<CheckedWave> {
  const starts = wave.map((append) => versions.get(append.streamId) ?? 0n);
  wave.forEach((a, i) => versions.set(a.streamId, starts[i]! + BigInt(a.events.length)));
  const positions = await mapLimit(
    wave.map((append, i) => ({ append, start: starts[i]! })),
    CHECKS_IN_FLIGHT,
    ({ append, start }) =>
      unwritten.has(append.streamId)
        ? Promise.resolve(undefined)
        : storedAppend(store, append, start, options),
  );
  const pending: Pending[] = [];
  const stored: Append[] = [];
  let events = 0;
  let position = 0n;
  positions.forEach((at, i) => {
    const start = starts[i]!;
    if (at === undefined) {
      pending.push({ append: wave[i]!, expected: start === 0n ? 'no_stream' : start - 1n });
      return;
    }
    stored.push(wave[i]!);
    events += wave[i]!.events.length;
    if (at > position) position = at;
  });
  return { pending, stored, events, position };
}

/**
 * The position of the append's last event when the append is stored at `start` as generated,
 * undefined when its stream ends just before `start`; SyntheticHistoryDiffers otherwise. One read:
 * the event before `start` (the stream must reach it) and the append's events.
 */
async function storedAppend(
  store: Pick<EventStore, 'readStream'>,
  append: Append,
  start: bigint,
  options: ActivityOptions,
): Promise<bigint | undefined> {
  const from = start === 0n ? 0n : start - 1n;
  const read = await store.readStream(append.streamId, {
    from,
    maxCount: append.events.length + Number(start - from),
  });
  const stored = start === 0n ? read : read.slice(1);
  const differs = (what: string) => new SyntheticHistoryDiffers(append.streamId, what, options);
  if (start > 0n && !read.length)
    throw differs(`ends before version ${start - 1n}, where this history has events`);
  if (!stored.length) return undefined;
  for (const [i, event] of append.events.entries()) {
    const found = stored[i];
    const version = start + BigInt(i);
    if (!found) throw differs(`ends at version ${version - 1n}, within one append of this history`);
    const difference = differenceOf(found, event);
    const generated = difference === 'event id' || difference === 'type';
    if (difference)
      throw differs(
        `holds at version ${version} event ${found.eventId} (${found.type}), whose ${difference} ` +
          `differs from this history's` +
          (generated ? ` (${event.eventId}, ${event.type})` : ''),
      );
  }
  return stored[append.events.length - 1]!.globalPosition;
}

/**
 * What of a stored event differs from the generated one (event id, type, schema version, a field of
 * its data, or its metadata: times and ids), or undefined. Sealed fields are left out: their ciphertext
 * is fresh in every run. Compared as canonical JSON (jsonb keeps no key order).
 */
function differenceOf(stored: NewEvent, generated: NewEvent): string | undefined {
  if (stored.eventId !== generated.eventId) return 'event id';
  if (stored.type !== generated.type) return 'type';
  if (stored.schemaVersion !== generated.schemaVersion) return 'schema version';
  const keys = new Set([...Object.keys(stored.data), ...Object.keys(generated.data)]);
  for (const key of keys)
    if (
      !isSealed(stored.data[key]) &&
      canonical(stored.data[key]) !== canonical(generated.data[key])
    )
      return `data.${key}`;
  if (canonical(stored.metadata) !== canonical(generated.metadata)) return 'metadata';
  return undefined;
}

/** JSON with every object's keys sorted. */
const canonical = (value: unknown): string | undefined =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );

/** Resuming, the stored part is not this seed's history with these options: nothing is written. */
export class SyntheticHistoryDiffers extends Error {
  constructor(
    readonly streamId: string,
    what: string,
    options: ActivityOptions,
  ) {
    super(
      `the stored history of seed ${options.seed} is not the one --events ${options.targetEvents} ` +
        `generates: stream ${streamId} ${what} (was the interrupted run given another --events?); ` +
        `nothing was written`,
    );
    this.name = 'SyntheticHistoryDiffers';
  }
}

/** `work` over the items, at most `limit` at a time, results in order. */
export async function mapLimit<T, R>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]!);
      }
    }),
  );
  return results;
}
