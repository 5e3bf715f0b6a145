import {
  counts,
  lifecycleAfter,
  storedCount,
  storedInstantMillis,
  type ShiftLifecycle,
  type ShiftLifecycleEvent,
  type TypedEvent,
} from '#domain';
import type { RecordedEvent } from '#event-store';
import { nextDay, type CampaignClock } from './campaign-clock.js';

/** Citizens one event can say: a PostgreSQL integer's range, whatever the log holds. */
const maxCitizens = 2_147_483_647;

/** A shift's assistance by local day, service type and daily-window flag: `[day, serviceType, inDaily, events, citizens]`. */
export type AssistanceBucket = [string, string, boolean, number, number];

/**
 * What a shift contributes to one counter key: `[day, serviceType, inside, events, citizens, turns,
 * micros, verifiedMicros]` (`''` service type holds turns and hours). Kept on the shift's row, so the
 * next change takes it back without reading or recomputing anything else.
 */
export type Share = [string, string, boolean, number, number, number, number, number];

/** The campaign-progress projection's own row of a shift: what its contribution is computed from. */
export type ProgressShift = {
  shift_id: string;
  campaign_id: string | null;
  member_id: string | null;
  started_ms: number | null;
  ended_ms: number | null;
  status: ShiftLifecycle;
  /** Stream version of the last event folded in: the idempotency guard. */
  version: number;
  assistance: AssistanceBucket[];
  /** What the shift contributed when its row was last written. */
  shares: Share[];
};

/**
 * Folds one shift-stream event into the row, in place (rows are loaded afresh for each batch), and
 * returns the row, a new one for a start, or undefined when there is none yet. Events at or below the
 * row's version were applied before and change nothing. `clockOf` gives the campaign's calendar for
 * bucketing assistance by local day and daily window (both fixed at launch); assistance of a shift
 * whose campaign is unknown is not bucketed (it cannot count for any campaign).
 */
export function foldProgressShift(
  row: ProgressShift | undefined,
  event: TypedEvent<RecordedEvent, ShiftLifecycleEvent | 'CitizenAssisted'>,
  clockOf: (campaignId: string) => CampaignClock | undefined,
): ProgressShift | undefined {
  const version = Number(event.streamVersion);
  if (row && row.version >= version) return row;
  if (event.type === 'ShiftStarted')
    return {
      shift_id: event.data.shiftId,
      campaign_id: event.data.campaignId ?? null,
      member_id: event.data.memberId ?? null,
      started_ms: storedInstantMillis(event.data.startedAt),
      ended_ms: null,
      status: lifecycleAfter('ShiftStarted', false),
      version,
      assistance: [],
      shares: row?.shares ?? [],
    };
  if (!row) return row;
  row.version = version;
  if (event.type === 'CitizenAssisted') {
    const d = event.data;
    const clock = row.campaign_id === null ? undefined : clockOf(row.campaign_id);
    const at = storedInstantMillis(d.occurredAt);
    if (!clock || at === null) return row;
    const day = clock.localDate(at);
    const inDaily = clock.inDaily(at, day);
    const service = String(d.serviceType);
    const citizens = storedCount(d.citizens, 1, maxCitizens);
    const bucket = row.assistance.find((b) => b[0] === day && b[1] === service && b[2] === inDaily);
    if (bucket) {
      bucket[3] += 1;
      bucket[4] += citizens;
    } else row.assistance.push([day, service, inDaily, 1, citizens]);
    return row;
  }
  if (event.type === 'ShiftEnded') row.ended_ms = storedInstantMillis(event.data.endedAt);
  if (event.type === 'ShiftCorrected') {
    row.started_ms = storedInstantMillis(event.data.startedAt) ?? row.started_ms;
    row.ended_ms = storedInstantMillis(event.data.endedAt) ?? row.ended_ms;
  }
  row.status = lifecycleAfter(event.type, row.ended_ms !== null);
  return row;
}

/**
 * What a shift contributes to its campaign now (../shared/DESIGN.md "Rules"): one turn on the local day
 * it started, inside when that instant is on a campaign date within the daily window; its hours
 * clipped to each campaign date's window; its assistance, inside when within the daily window on a
 * campaign date. `counts` (#domain) says what the status lets count. Shares are summed per key.
 */
export function sharesOf(row: ProgressShift, clock: CampaignClock | undefined): Share[] {
  if (!clock) return [];
  const rule = counts(row.status);
  const shares = new Map<string, Share>();
  const add = (day: string, service: string, inside: boolean, values: number[]) => {
    const key = `${day}\u0000${service}\u0000${inside}`;
    let share = shares.get(key);
    if (!share) shares.set(key, (share = [day, service, inside, 0, 0, 0, 0, 0]));
    for (let i = 0; i < 5; i++) (share[3 + i] as number) += values[i]!;
  };
  const { startDate, endDate } = clock.calendar;
  const start = row.started_ms;
  if (rule.citizens && start !== null) {
    const day = clock.localDate(start);
    add(day, '', clock.inDates(day) && clock.inDaily(start, day), [0, 0, 1, 0, 0]);
  }
  const end = row.ended_ms;
  if (rule.workedHours && start !== null && end !== null) {
    const first = maxDate(startDate, clock.localDate(start));
    const last = minDate(endDate, clock.localDate(end));
    for (let day = first; day <= last; day = nextDay(day)) {
      const window = clock.window(day);
      const micros = Math.max(0, Math.min(end, window.end) - Math.max(start, window.start)) * 1000;
      add(day, '', true, [0, 0, 0, micros, rule.verifiedHours ? micros : 0]);
    }
  }
  if (rule.citizens)
    for (const [day, service, inDaily, events, citizens] of row.assistance)
      add(day, service, inDaily && clock.inDates(day), [events, citizens, 0, 0, 0]);
  // a zero share (hours clipped away entirely) moves no counter: not kept
  return [...shares.values()].filter((share) => share.slice(3).some((value) => value !== 0));
}

const maxDate = (a: string, b: string) => (a > b ? a : b);
const minDate = (a: string, b: string) => (a < b ? a : b);
