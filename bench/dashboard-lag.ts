/**
 * Issue 10 point 3: projection lag under a sustained write rate. A second generated history (the
 * generator of `seed synthetic`, another seed) is appended straight through the event store, paced to
 * `perSecond` events; the running API's projection runner follows it. For every appended event, lag is
 * the time from its append's commit (the append answered) to the first look at the checkpoints that
 * finds every live projection past its position. The checkpoints are looked at every POLL_MS.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { EventStore, NewEvent } from '#event-store';
import { memberSubject } from '#commands';
import { PersonalDataVault } from '#platform';
import { listSlots, syntheticOptions, writeSyntheticHistory } from '#projections';

const POLL_MS = 5;
/** How long the runner may take to pass the last append before the rest count as never passed. */
const DRAIN_MS = 60_000;

export type LagResult = {
  events: number;
  seconds: number;
  /** Per appended event, ms; Infinity for one the checkpoint did not pass within DRAIN_MS. */
  lagsMs: number[];
  pollMs: number;
};

type Commit = { at: number; position: bigint; events: number };
type Look = { sent: number; at: number; passed: bigint };

/** The lowest checkpoint of the live projections (snapshots aside): what every read model has seen. */
async function lowestCheckpoint(pool: pg.Pool): Promise<bigint> {
  const slots = (await listSlots(pool, ['live'])).filter((slot) => slot.snapshot_id === null);
  return slots.reduce(
    (low, slot) => (BigInt(slot.position) < low ? BigInt(slot.position) : low),
    slots.length ? BigInt(slots[0]!.position) : 0n,
  );
}

export async function measureLag(
  pool: pg.Pool,
  store: EventStore,
  options: { perSecond: number; seconds: number; seed: number },
): Promise<LagResult> {
  const vault = new PersonalDataVault(pool);
  await vault.init();
  const commits: Commit[] = [];
  const interval = 1000 / options.perSecond;
  let due = performance.now();
  let highest = 0n;
  // Each append waits for its turn, `events × interval` after the previous one: a steady rate that
  // never bursts to catch up, so a slow stretch lowers the rate reported rather than hiding in it.
  const paced = {
    readStream: store.readStream.bind(store),
    async append(streamId: string, events: readonly NewEvent[], opts: { expectedVersion: 'any' }) {
      const mine = Math.max(due, performance.now());
      due = mine + events.length * interval;
      const wait = mine - performance.now();
      if (wait > 0) await sleep(wait);
      const result = await store.append(streamId, events, opts);
      commits.push({ at: performance.now(), position: result.position, events: events.length });
      if (result.position > highest) highest = result.position;
      return result;
    },
  } as Pick<EventStore, 'append' | 'readStream'>;
  const looks: Look[] = [];
  let stoppedAt: number | null = null;
  let failed = false;
  const watcher = (async () => {
    for (;;) {
      const sent = performance.now();
      const passed = await lowestCheckpoint(pool);
      looks.push({ sent, at: performance.now(), passed });
      if (failed) return;
      if (stoppedAt !== null && (passed >= highest || sent - stoppedAt > DRAIN_MS)) return;
      await sleep(POLL_MS);
    }
  })();
  const started = performance.now();
  try {
    await writeSyntheticHistory(
      paced,
      syntheticOptions(Math.round(options.perSecond * options.seconds), options.seed),
      {
        seal: (memberId, name) => vault.seal(memberSubject(memberId), name),
        erase: (memberId) => vault.destroy(memberSubject(memberId)),
      },
    );
  } catch (error) {
    failed = true;
    await watcher;
    throw error;
  } finally {
    stoppedAt = performance.now();
  }
  const seconds = (performance.now() - started) / 1000;
  await watcher;
  return {
    events: commits.reduce((n, c) => n + c.events, 0),
    seconds,
    lagsMs: lags(commits, looks),
    pollMs: POLL_MS,
  };
}

/** For each commit, the first look sent after it that found the checkpoints past it; one entry per event. */
function lags(commits: Commit[], looks: Look[]): number[] {
  const out: number[] = [];
  for (const commit of commits) {
    // Looks are in time order and the lowest checkpoint never moves back: binary search twice.
    let lo = firstIndex(looks, (l) => l.sent >= commit.at);
    lo = Math.max(
      lo,
      firstIndex(looks, (l) => l.passed >= commit.position),
    );
    const lag = lo < looks.length ? looks[lo]!.at - commit.at : Number.POSITIVE_INFINITY;
    for (let i = 0; i < commit.events; i++) out.push(lag);
  }
  return out;
}

function firstIndex<T>(items: T[], test: (item: T) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (test(items[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
