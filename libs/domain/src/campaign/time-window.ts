import { DateTime } from 'luxon';
import { DomainRuleViolation } from '../common/errors.js';
import type { Instant, LocalDate, LocalTime } from '../common/event.js';
import { addDays, instantMillis, isLocalDate, isTimezone } from '../common/instant.js';
import { storedLocalDate, storedLocalTime, storedTimezone } from '../common/stored-values.js';
import type { DailyWindow } from './campaign.events.js';

/**
 * Local-time arithmetic of a campaign: its dates are inclusive and its daily window half-open
 * `[from, to)`, both read in the campaign's IANA zone. Every conversion between wall clock and
 * instant goes through luxon, which knows the zone's history (DST, offset changes); nothing here
 * adds offsets by hand. Luxon's answers per zone and day are memoised, because projections ask
 * these questions for every event they fold.
 */
export type CampaignCalendar = Readonly<{
  timezone: string;
  startDate: LocalDate;
  endDate: LocalDate;
  dailyWindow: DailyWindow;
}>;

const hourMs = 3_600_000;

/**
 * The calendar of a campaign as stored in the log, brought into the gate's ranges (values.ts): an
 * event an older gate let in (year 9999, an unknown zone) yields a calendar every function here can
 * compute with, in bounded time, instead of an error.
 */
export function storedCalendar(data: {
  timezone?: unknown;
  startDate?: unknown;
  endDate?: unknown;
  dailyWindow?: { from?: unknown; to?: unknown } | null;
}): CampaignCalendar {
  const startDate = storedLocalDate(data.startDate);
  return {
    timezone: storedTimezone(data.timezone),
    startDate,
    endDate: storedLocalDate(data.endDate, startDate),
    dailyWindow: {
      from: storedLocalTime(data.dailyWindow?.from, '00:00'),
      to: storedLocalTime(data.dailyWindow?.to, '24:00', true),
    },
  };
}

/** The calendar date an instant falls on in `timezone`. */
export function localDate(instant: Instant, timezone: string): LocalDate {
  return localDateOfMillis(instantMillis(instant), timezone);
}

/** The calendar date an epoch-milliseconds instant falls on in `timezone`. */
export function localDateOfMillis(millis: number, timezone: string): LocalDate {
  requireZone(timezone);
  // Every zone's offset is less than a day, so the local date is the UTC date or a neighbour;
  // luxon says where each local day starts.
  const utcDate = new Date(millis).toISOString().slice(0, 10);
  if (millis < dayStart(utcDate, timezone)) return addDays(utcDate, -1);
  const next = addDays(utcDate, 1);
  return millis >= dayStart(next, timezone) ? next : utcDate;
}

/** Every date of the campaign, first to last, inclusive. */
export function campaignDays(calendar: CampaignCalendar): LocalDate[] {
  requireDate(calendar.startDate);
  requireDate(calendar.endDate);
  const days: LocalDate[] = [];
  for (let day = calendar.startDate; day <= calendar.endDate; day = addDays(day, 1)) days.push(day);
  return days;
}

/**
 * The daily window of one date as epoch milliseconds `[start, end)`. A wall time that does not
 * exist that day (skipped by a DST change) is moved forward by luxon, as clocks are.
 */
export function windowOn(
  calendar: CampaignCalendar,
  date: LocalDate,
): { start: number; end: number } {
  const zone = requireZone(calendar.timezone);
  const { from, to } = calendar.dailyWindow;
  return { start: wallClock(date, from, zone), end: wallClock(date, to, zone) };
}

/**
 * Whether an instant lies inside the campaign: on one of its dates and inside that date's window.
 * Defined through `windowOn` so that it agrees exactly with `clipToWindow`.
 */
export function isInWindow(calendar: CampaignCalendar, instant: Instant): boolean {
  const at = instantMillis(instant);
  const date = localDateOfMillis(at, calendar.timezone);
  if (date < calendar.startDate || date > calendar.endDate) return false;
  const window = windowOn(calendar, date);
  return window.start <= at && at < window.end;
}

/** Milliseconds of `[start, end)` inside the daily windows of the campaign's dates. */
export function clipToWindowMillis(
  calendar: CampaignCalendar,
  start: Instant,
  end: Instant,
): number {
  const startMs = instantMillis(start, 'start');
  const endMs = instantMillis(end, 'end');
  if (endMs <= startMs) return 0;
  // A window lies within its own local date, so only the dates the span touches can contribute.
  const first = maxDate(calendar.startDate, localDateOfMillis(startMs, calendar.timezone));
  const last = minDate(calendar.endDate, localDateOfMillis(endMs, calendar.timezone));
  let total = 0;
  for (let day = first; day <= last; day = addDays(day, 1)) {
    const window = windowOn(calendar, day);
    total += Math.max(0, Math.min(endMs, window.end) - Math.max(startMs, window.start));
  }
  return total;
}

/** Hours of `[start, end)` inside the daily windows (a shift across midnight or several days too). */
export function clipToWindow(calendar: CampaignCalendar, start: Instant, end: Instant): number {
  return clipToWindowMillis(calendar, start, end) / hourMs;
}

/** The same functions bound to one campaign, for code that asks many questions of it. */
export function timeWindow(calendar: CampaignCalendar) {
  return {
    calendar,
    isInWindow: (instant: Instant) => isInWindow(calendar, instant),
    clipToWindow: (start: Instant, end: Instant) => clipToWindow(calendar, start, end),
    localDate: (instant: Instant) => localDate(instant, calendar.timezone),
    campaignDays: () => campaignDays(calendar),
  };
}

const wallClocks = new Map<string, number>();

/** The instant a wall-clock time of a date occurs in `zone`; `24:00` is the next midnight. */
function wallClock(date: LocalDate, time: LocalTime, zone: string): number {
  const key = `${zone}|${date}|${time}`;
  let millis = wallClocks.get(key);
  if (millis === undefined) {
    requireDate(date);
    const [year, month, day] = (time === '24:00' ? addDays(date, 1) : date).split('-').map(Number);
    const [hour, minute] = time === '24:00' ? [0, 0] : time.split(':').map(Number);
    millis = DateTime.fromObject({ year, month, day, hour, minute }, { zone }).toMillis();
    if (wallClocks.size > 100_000) wallClocks.clear();
    wallClocks.set(key, millis);
  }
  return millis;
}

/** When the local day begins (usually midnight; later where a DST jump skips midnight). */
const dayStart = (date: LocalDate, zone: string): number => wallClock(date, '00:00', zone);

function requireDate(date: LocalDate): void {
  if (!isLocalDate(date)) {
    throw new DomainRuleViolation(
      'invalid_date',
      `${JSON.stringify(date)} is not a date YYYY-MM-DD`,
    );
  }
}

function requireZone(timezone: string): string {
  if (!isTimezone(timezone)) {
    throw new DomainRuleViolation(
      'campaign_timezone_invalid',
      `${JSON.stringify(timezone)} is not an IANA time zone`,
    );
  }
  return timezone;
}

const maxDate = (a: LocalDate, b: LocalDate): LocalDate => (a > b ? a : b);
const minDate = (a: LocalDate, b: LocalDate): LocalDate => (a < b ? a : b);
