import { DateTime } from 'luxon';
import { DomainRuleViolation } from './errors.js';
import type { Instant, LocalDate, LocalTime } from './event.js';
import {
  instantProblem,
  localDateProblem,
  localTimeProblem,
  readInstantMillis,
  requireInstant,
  requireLocalDate,
  timezoneProblem,
} from './values.js';

// The ranges of these values live in values.ts; this module does arithmetic with them.

/** Parses an instant the gate accepts (values.ts); throws `invalid_instant` otherwise. */
export function parseInstant(value: Instant, field = 'instant'): DateTime {
  requireInstant(value, field);
  return DateTime.fromISO(value, { setZone: true });
}

// The common shape (`2025-08-09T07:30:00.000+07:00`) is the ECMAScript date-time format, which
// Date.parse reads exactly; projections call this for every event, and a general parser costs more.
const ecmaPattern =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Milliseconds since the epoch of an instant, for arithmetic on values already in the log or in a
 * state: any year and offset an older gate took is read (the gate's ranges are values.ts's business).
 * Throws `invalid_instant` only for text that is no instant at all.
 */
export function instantMillis(value: Instant, field = 'instant'): number {
  const parts = typeof value === 'string' ? ecmaPattern.exec(value) : null;
  if (parts) {
    const [year, month, day, hour] = parts.slice(1, 5).map(Number);
    const millis = Date.parse(value);
    // Date.parse lets 30 February and 24:00 roll over; those are refused below.
    if (
      !Number.isNaN(millis) &&
      hour < 24 &&
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      day <= daysInMonth(year, month)
    ) {
      return millis;
    }
  }
  const millis = readInstantMillis(value);
  if (millis === null) {
    throw new DomainRuleViolation(
      'invalid_instant',
      `${field} must be an ISO 8601 instant with an offset, e.g. 2025-08-09T07:30:00+07:00 (got ${JSON.stringify(value)})`,
    );
  }
  return millis;
}

function utcCalendar(year: number, monthIndex: number, day: number): Date {
  // setUTCFullYear, unlike Date.UTC, does not read years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  return date;
}

const daysInMonth = (year: number, month: number): number =>
  utcCalendar(year, month, 0).getUTCDate();

/** The calendar date `days` after (or before) `date`; pure calendar arithmetic, no zone involved. */
export function addDays(date: LocalDate, days: number): LocalDate {
  const [year, month, day] = date.split('-').map(Number);
  return utcCalendar(year, month - 1, day + days)
    .toISOString()
    .slice(0, 10);
}

/** An instant the gate accepts (values.ts). */
export function isInstant(value: unknown): value is Instant {
  return instantProblem(value) === null;
}

/** A date the gate accepts (values.ts): a real calendar date in the years 2000–2099. */
export function isLocalDate(value: unknown): value is LocalDate {
  return localDateProblem(value) === null;
}

/** `HH:mm`; `24:00` only where `allowEndOfDay` (the end of a daily window reaching midnight). */
export function isLocalTime(value: unknown, allowEndOfDay = false): value is LocalTime {
  return localTimeProblem(value, allowEndOfDay) === null;
}

export function isTimezone(value: unknown): value is string {
  return timezoneProblem(value) === null;
}

export function parseLocalDate(value: LocalDate, field = 'date'): LocalDate {
  return requireLocalDate(value, field);
}
