import type { EventStore, NewEvent } from '#event-store';
import { activityWaves, type ActivityOptions } from './activity-generator.js';
import {
  checkWave,
  mapLimit,
  SyntheticHistoryDiffers,
  type CheckedWave,
  type Pending,
} from './stored-append.js';

/** How member names are sealed and erased (the platform's vault, keyed by the member's subject). */
export type PersonalData = Readonly<{
  seal(memberId: string, displayName: string): Promise<unknown>;
  erase(memberId: string): Promise<void>;
}>;

/** What `seed synthetic` prints: API.md "Command line". */
export type SyntheticSummary = Readonly<{
  events: number;
  position: number;
  campaignIds: string[];
  unitIds: string[];
  memberIds: string[];
}>;

const SAMPLES = 20;
/** Appends of one wave under way at once (each its own transaction; give the pool as many connections). */
export const APPENDS_IN_FLIGHT = 16;

/**
 * A province-shaped history of about `events` events for a seed (ActivityOptions of the demo generator,
 * scaled): one member per ~100 events (a province's ~100,000 members write ~10 M events a year), a
 * week-long drive per ~100,000 events (up to 12, one every four weeks), four levels of units (a smaller
 * tree below 50,000 events), one erasure per ~500 members. Ids carry the seed (`syn<seed>.`), so that
 * histories of different seeds can share one log. The same seed gives the same events (ids, data,
 * times); only the sealed names differ, encrypted under fresh keys.
 */
export function syntheticOptions(events: number, seed: number): ActivityOptions {
  const small = events < 50_000;
  const members = Math.max(10, Math.round(events / 100));
  return {
    targetEvents: events,
    seed,
    members,
    campaigns: Math.min(12, Math.max(2, Math.ceil(events / 100_000))),
    districts: small ? 3 : 8,
    wardsPerDistrict: small ? 4 : 6,
    branchesPerWard: small ? 3 : 5,
    concurrentShifts: Math.min(400, Math.max(10, Math.round(events / 100))),
    erasures: Math.max(1, Math.round(members / 500)),
    idPrefix: `syn${seed}.`,
  };
}

/** How a run goes: `resume` finishes an interrupted run of the same seed and options. */
export type SyntheticRun = Readonly<{
  /**
   * Regenerates the waves and skips every append already stored (its events at the versions the
   * append starts at, with the generated ids, types, data and times), appending the rest with exact
   * expected versions; refuses with SyntheticHistoryDiffers, before writing anything, when the
   * stored part is not this history.
   */
  resume?: boolean;
  /**
   * Test-only: writes `waves` whole waves, then prepares the next one (names sealed, keys of erased
   * members destroyed) but appends only its first `appends` appends, and stops, as a run killed
   * mid-wave leaves the log and the vault.
   */
  stopAfter?: Readonly<{ waves: number; appends: number }>;
}>;

/**
 * Writes the generated history straight through the event store, wave by wave (each wave's appends run
 * in parallel, one append per stream). Member names are sealed and erasures destroy the member's key
 * first, as the command path does, so the log looks like one the API wrote. Returns the summary with up
 * to 20 sample ids of each kind that the read routes answer (erased members left out).
 *
 * Resuming (`run.resume`), the waves already stored are checked, not written: each append's events are
 * read at the versions it starts at (versions counted here as the waves are regenerated), 16 appends
 * at a time. Waves are written in order, each whole before the next, so the first wave with none of
 * its appends stored ends the checking: later waves are written as in a fresh run. A stored enrolment
 * is not sealed again (its member keeps the key its sealed name needs); an erasure not stored is done
 * again (destroying a key already gone only records the erasure once more).
 */
export async function writeSyntheticHistory(
  store: Pick<EventStore, 'append' | 'readStream'>,
  options: ActivityOptions,
  personalData: PersonalData,
  onEvents: (events: number) => void = () => {},
  run: SyntheticRun = {},
): Promise<SyntheticSummary> {
  const root = `unit-${options.idPrefix ?? ''}p0`;
  if (!run.resume && (await store.readStream(root, { maxCount: 1 })).length)
    throw new SyntheticHistoryExists(root);
  const units: string[] = [];
  const campaigns: string[] = [];
  const members: string[] = [];
  const erased = new Set<string>();
  /** Each stream's next version while checking; undefined once nothing more can be stored. */
  let versions: Map<string, bigint> | undefined = run.resume ? new Map() : undefined;
  let events = 0;
  let position = 0n;
  let waveIndex = 0;
  const waves = activityWaves(options);
  let next = waves.next();
  /** The next wave's check, done before the interrupted wave is written (see below). */
  let checkedNext: CheckedWave | undefined;
  while (!next.done) {
    const wave = next.value;
    next = waves.next();
    for (const append of wave) {
      for (const event of append.events) {
        const data = event.data as Record<string, unknown>;
        if (event.type === 'UnitRegistered') units.push(String(data.unitId));
        if (event.type === 'CampaignLaunched') campaigns.push(String(data.campaignId));
        if (event.type === 'MemberEnrolled') members.push(String(data.memberId));
        if (event.type === 'MemberDataErased') erased.add(String(data.memberId));
      }
    }
    let pending: Pending[] = wave.map((append) => ({ append, expected: 'any' }));
    if (versions) {
      const checked = checkedNext ?? (await checkWave(store, wave, versions, options));
      checkedNext = undefined;
      pending = checked.pending;
      events += checked.events;
      if (checked.position > position) position = checked.position;
      // nothing of this wave stored: nor of any later wave
      if (pending.length === wave.length) versions = undefined;
      else if (pending.length && !next.done) {
        // The interrupted wave, or a history that goes on where this one has appends missing (one
        // with more members, say): the next wave must have nothing stored, known before writing.
        const unwritten = new Set(pending.map((p) => p.append.streamId));
        checkedNext = await checkWave(store, next.value, versions, options, unwritten);
        const after = checkedNext.stored[0];
        if (after)
          throw new SyntheticHistoryDiffers(
            after.streamId,
            `holds an append of wave ${waveIndex + 1} while stream ${pending[0]!.append.streamId} ` +
              `lacks its append of wave ${waveIndex}`,
            options,
          );
      }
    }
    const stopping = run.stopAfter?.waves === waveIndex++;
    const prepared = await mapLimit(pending, APPENDS_IN_FLIGHT, (item) =>
      prepare(item, personalData),
    );
    const written = await appendAll(
      store,
      stopping ? prepared.slice(0, run.stopAfter!.appends) : prepared,
    );
    events += written.events;
    if (written.lastPosition > position) position = written.lastPosition;
    onEvents(events);
    if (stopping) break;
  }
  return {
    events,
    position: Number(position),
    campaignIds: campaigns.slice(0, SAMPLES),
    unitIds: units.slice(0, SAMPLES),
    memberIds: members.filter((id) => !erased.has(id)).slice(0, SAMPLES),
  };
}

/** The append with its names sealed, and its erasures done (the key first, as the command does). */
async function prepare(item: Pending, personalData: PersonalData): Promise<Pending> {
  const out: NewEvent[] = [];
  for (const event of item.append.events) {
    const data = event.data as Record<string, unknown>;
    if (event.type === 'MemberEnrolled') {
      const sealed = await personalData.seal(String(data.memberId), String(data.displayName));
      out.push({ ...event, data: { ...data, displayName: sealed } });
      continue;
    }
    // should the append fail, a rerun (--resume) destroys the key again and records the erasure
    if (event.type === 'MemberDataErased') await personalData.erase(String(data.memberId));
    out.push(event);
  }
  return { append: { streamId: item.append.streamId, events: out }, expected: item.expected };
}

/** Appends one wave, APPENDS_IN_FLIGHT at a time. */
async function appendAll(
  store: Pick<EventStore, 'append'>,
  wave: readonly Pending[],
): Promise<{ events: number; lastPosition: bigint }> {
  let lastPosition = 0n;
  await mapLimit([...wave], APPENDS_IN_FLIGHT, async ({ append, expected }) => {
    const { position } = await store.append(append.streamId, append.events, {
      expectedVersion: expected,
    });
    if (position > lastPosition) lastPosition = position;
  });
  return { events: wave.reduce((n, p) => n + p.append.events.length, 0), lastPosition };
}

/** The log already holds a history of this seed: written again, its sealed names would differ. */
export class SyntheticHistoryExists extends Error {
  constructor(readonly streamId: string) {
    super(
      `this log already holds that seed's history (stream ${streamId}): a run of that seed may have ` +
        `been interrupted, and --resume (with the same --events) finishes it; or choose another --seed`,
    );
    this.name = 'SyntheticHistoryExists';
  }
}
