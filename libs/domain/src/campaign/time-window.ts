import { IANAZone } from 'luxon';
import { DomainRuleViolation } from '../common/errors.js';
import type { Instant, LocalDate, LocalTime } from '../common/event.js';
import { addDays, instantMillis, isLocalDate, isTimezone } from '../common/instant.js';
import { storedLocalDate, storedLocalTime, storedTimezone } from '../common/stored-values.js';
import type { DailyWindow } from './campaign.events.js';

/**
 * Local-time arithmetic of a campaign: its dates are inclusive and its daily window half-open
 * `[from, to)`, both read in the campaign's IANA zone. The zone's history (DST, offset changes) comes
 * from luxon's IANA zones (`offset` at an instant); turning a wall time into an instant is done here
 * (`wallClock`), because a wall time can occur twice or not at all and the rule says which instant
 * counts. Answers per zone and day are memoised, because projections ask these questions for every
 * event they fold.
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
  // luxon says where each local day starts. The UTC date may lie just outside the years the gate
  // accepts while the local date does not (2000-01-01T00:00+14:00 is 1999-12-31 in UTC), so these
  // midnights are computed unchecked: the first and last campaign days count whole.
  const utcDate = new Date(millis).toISOString().slice(0, 10);
  if (millis < midnight(utcDate, timezone)) return addDays(utcDate, -1);
  const next = addDays(utcDate, 1);
  return millis >= midnight(next, timezone) ? next : utcDate;
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
 * The daily window of one date as epoch milliseconds `[start, end)`: from the FIRST time the clock
 * reads `from` that day to the LAST time it reads `to` (`24:00`: the next day's start). Where clocks
 * fall back, a wall time inside the repeated hour occurs twice, and the window holds both passes, so
 * no one working while the clock shows a time inside the window is left out. A wall time skipped by
 * a spring-forward jump is read at the offset in force before the jump, i.e. moved forward by the
 * jump as clocks are (02:30 on 30 March 2025 in Berlin is 03:30 CEST), for `from` and `to` alike:
 * what luxon, PostgreSQL and RFC 5545 do with a time that does not exist.
 * The twin in SQL is `windowOpens` / `windowCloses` (libs/projections/src/read-models/
 * volunteer-activity/campaign-time.sql.ts): both must give the same instants
 * (test/projections/campaign-window-dst.int.spec.ts and campaign-window-twins.int.spec.ts run both).
 */
export function windowOn(
  calendar: CampaignCalendar,
  date: LocalDate,
): { start: number; end: number } {
  const zone = requireZone(calendar.timezone);
  const { from, to } = calendar.dailyWindow;
  return { start: wallClock(date, from, zone, 'first'), end: wallClock(date, to, zone, 'last') };
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
const dayMs = 24 * hourMs;

/**
 * The instant a wall-clock time of a date occurs in `zone`; `24:00` is the next day's start. A time
 * the clocks show twice that day is taken at its `first` or `last` occurrence; a time they skip is
 * read at the offset in force before the jump (moved forward by it).
 *
 * Computed from the zone's offsets a day before and a day after, not by luxon's `fromObject`: luxon
 * resolves a repeated time with a guess taken from the offset the zone has NOW, so its answer for
 * 02:30 on 26 October in Berlin was CET when asked in winter and CEST when asked in summer, and a
 * rebuild could count differently from the live projection. Each candidate is kept when the zone
 * really has that offset at that instant.
 */
function wallClock(
  date: LocalDate,
  time: LocalTime,
  zone: string,
  occurrence: 'first' | 'last',
): number {
  requireDate(date);
  // the day after the last date the gate accepts is still a day one can end at
  return time === '24:00'
    ? occurrenceOf(addDays(date, 1), '00:00', zone, 'first')
    : occurrenceOf(date, time, zone, occurrence);
}

function occurrenceOf(
  date: LocalDate,
  time: LocalTime,
  zone: string,
  occurrence: 'first' | 'last',
): number {
  const key = `${zone}|${date}|${time}|${occurrence}`;
  let millis = wallClocks.get(key);
  if (millis === undefined) {
    const [year, month, day] = date.split('-').map(Number);
    const [hour, minute] = time.split(':').map(Number);
    const wall = Date.UTC(year!, month! - 1, day!, hour!, minute!);
    const offset = (at: number) => IANAZone.create(zone).offset(at) * 60_000;
    const before = wall - offset(wall - dayMs);
    const after = wall - offset(wall + dayMs);
    const occurs = (at: number) => wall - at === offset(at);
    const candidates = [before, after].filter(occurs).sort((a, b) => a - b);
    millis = candidates.length
      ? occurrence === 'first'
        ? candidates[0]!
        : candidates[candidates.length - 1]!
      : before; // skipped: the wall time read at the offset before the jump
    if (wallClocks.size > 100_000) wallClocks.clear();
    wallClocks.set(key, millis);
  }
  return millis;
}

/**
 * The local day `date` in `zone` as epoch milliseconds `[start, end)`. A day starts at its first
 * midnight (the first of two where clocks fall back across midnight, as in America/Havana on
 * 2 November 2025; later where a jump skips midnight) and ends where the next one starts, so an
 * instant's day is the date its clock shows. The one day rule: campaign days, and the dates of
 * `from`/`to` on the reads (`resolvePeriod`), are these days.
 */
export function localDay(date: LocalDate, zone: string): { start: number; end: number } {
  requireZone(zone);
  return { start: dayStart(date, zone), end: wallClock(date, '24:00', zone, 'last') };
}

const dayStart = (date: LocalDate, zone: string): number => wallClock(date, '00:00', zone, 'first');

/** The first midnight of any calendar date, in or out of the gate's years (no check). */
const midnight = (date: LocalDate, zone: string): number =>
  occurrenceOf(date, '00:00', zone, 'first');

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
