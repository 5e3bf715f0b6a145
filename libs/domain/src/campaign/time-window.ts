import { DateTime } from 'luxon';
import { DomainRuleViolation } from '../common/errors.js';
import type { Instant, LocalDate, LocalTime } from '../common/event.js';
import { instantMillis, isTimezone, parseInstant } from '../common/instant.js';
import type { DailyWindow } from './campaign.events.js';

/**
 * Local-time arithmetic of a campaign: its dates are inclusive and its daily window half-open
 * `[from, to)`, both read in the campaign's IANA zone. Every conversion between wall clock and
 * instant goes through luxon, which knows the zone's history (DST, offset changes); nothing here
 * adds offsets by hand.
 */
export type CampaignCalendar = Readonly<{
  timezone: string;
  startDate: LocalDate;
  endDate: LocalDate;
  dailyWindow: DailyWindow;
}>;

const hourMs = 3_600_000;

/** The calendar date an instant falls on in `timezone`. */
export function localDate(instant: Instant, timezone: string): LocalDate {
  return parseInstant(instant).setZone(requireZone(timezone)).toISODate() as LocalDate;
}

/** Every date of the campaign, first to last, inclusive. */
export function campaignDays(calendar: CampaignCalendar): LocalDate[] {
  const days: LocalDate[] = [];
  for (let day = calendarDay(calendar.startDate); ; day = day.plus({ days: 1 })) {
    const date = day.toISODate() as LocalDate;
    if (date > calendar.endDate) return days;
    days.push(date);
  }
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
  const date = localDate(instant, calendar.timezone);
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
  const first = maxDate(calendar.startDate, localDate(start, calendar.timezone));
  const last = minDate(calendar.endDate, localDate(end, calendar.timezone));
  let total = 0;
  for (
    let day = calendarDay(first);
    (day.toISODate() as LocalDate) <= last;
    day = day.plus({ days: 1 })
  ) {
    const window = windowOn(calendar, day.toISODate() as LocalDate);
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

function wallClock(date: LocalDate, time: LocalTime, zone: string): number {
  const day = DateTime.fromISO(date, { zone });
  // `24:00` closes a window at the next midnight.
  if (time === '24:00')
    return wallClock(day.plus({ days: 1 }).toISODate() as LocalDate, '00:00', zone);
  const [hour, minute] = time.split(':').map(Number);
  return DateTime.fromObject(
    { year: day.year, month: day.month, day: day.day, hour, minute },
    { zone },
  ).toMillis();
}

function calendarDay(date: LocalDate): DateTime {
  const day = DateTime.fromISO(date, { zone: 'utc' });
  if (!day.isValid)
    throw new DomainRuleViolation(
      'invalid_date',
      `${JSON.stringify(date)} is not a date YYYY-MM-DD`,
    );
  return day;
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
