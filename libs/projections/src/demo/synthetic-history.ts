import type { EventStore, NewEvent } from '#event-store';
import {
  activityWaves,
  appendWaves,
  type ActivityOptions,
  type Append,
} from './activity-generator.js';

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

/**
 * Writes the generated history straight through the event store, wave by wave (each wave's appends run
 * in parallel, one append per stream). Member names are sealed and erasures destroy the member's key
 * first, as the command path does, so the log looks like one the API wrote. Returns the summary with up
 * to 20 sample ids of each kind that the read routes answer (erased members left out).
 */
export async function writeSyntheticHistory(
  store: Pick<EventStore, 'append' | 'readStream'>,
  options: ActivityOptions,
  personalData: PersonalData,
  onEvents: (events: number) => void = () => {},
): Promise<SyntheticSummary> {
  const root = `unit-${options.idPrefix ?? ''}p0`;
  if ((await store.readStream(root, { maxCount: 1 })).length)
    throw new SyntheticHistoryExists(root);
  const units: string[] = [];
  const campaigns: string[] = [];
  const members: string[] = [];
  const erased = new Set<string>();
  let events = 0;
  let position = 0n;
  for (const wave of activityWaves(options)) {
    const prepared = await mapLimit(wave, 16, async (append): Promise<Append> => {
      const out: NewEvent[] = [];
      for (const event of append.events) {
        const data = event.data as Record<string, unknown>;
        if (event.type === 'UnitRegistered') units.push(String(data.unitId));
        if (event.type === 'CampaignLaunched') campaigns.push(String(data.campaignId));
        if (event.type === 'MemberEnrolled') {
          members.push(String(data.memberId));
          const sealed = await personalData.seal(String(data.memberId), String(data.displayName));
          out.push({ ...event, data: { ...data, displayName: sealed } });
          continue;
        }
        if (event.type === 'MemberDataErased') {
          // The key goes first, as the command does: should the append fail, a rerun records it.
          await personalData.erase(String(data.memberId));
          erased.add(String(data.memberId));
        }
        out.push(event);
      }
      return { streamId: append.streamId, events: out };
    });
    const written = await appendWaves(store, [prepared], APPENDS_IN_FLIGHT);
    events += written.events;
    if (written.lastPosition > position) position = written.lastPosition;
    onEvents(events);
  }
  return {
    events,
    position: Number(position),
    campaignIds: campaigns.slice(0, SAMPLES),
    unitIds: units.slice(0, SAMPLES),
    memberIds: members.filter((id) => !erased.has(id)).slice(0, SAMPLES),
  };
}

/** The log already holds a history of this seed: written again, its sealed names would differ. */
export class SyntheticHistoryExists extends Error {
  constructor(readonly streamId: string) {
    super(`this log already holds that seed's history (stream ${streamId}); choose another --seed`);
    this.name = 'SyntheticHistoryExists';
  }
}

/** `work` over the items, at most `limit` at a time, results in order. */
async function mapLimit<T, R>(
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
