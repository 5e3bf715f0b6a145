import { DateTime, IANAZone } from 'luxon';
import { DomainRuleViolation } from './errors.js';
import type { Instant, LocalDate, LocalTime } from './event.js';

// Date and time, with an explicit offset: a bare local time would be read in whatever zone the
// server happens to run in, so it is refused rather than guessed.
const instantPattern =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const timePattern = /^(?:[01]\d|2[0-3]):[0-5]\d$/;

/** Parses an ISO 8601 instant that carries an offset; throws `invalid_instant` otherwise. */
export function parseInstant(value: Instant, field = 'instant'): DateTime {
  const parsed =
    typeof value === 'string' && instantPattern.test(value)
      ? DateTime.fromISO(value, { setZone: true })
      : null;
  if (!parsed?.isValid) {
    throw new DomainRuleViolation(
      'invalid_instant',
      `${field} must be an ISO 8601 instant with an offset, e.g. 2025-08-09T07:30:00+07:00 (got ${JSON.stringify(value)})`,
    );
  }
  return parsed;
}

// The common shape (`2025-08-09T07:30:00.000+07:00`) is the ECMAScript date-time format, which
// Date.parse reads exactly; projections call this for every event, and luxon's parser costs ~30 µs.
const ecmaPattern =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Milliseconds since the epoch of a valid instant (see `parseInstant`). */
export function instantMillis(value: Instant, field?: string): number {
  const parts = typeof value === 'string' ? ecmaPattern.exec(value) : null;
  if (parts) {
    const [year, month, day, hour] = parts.slice(1, 5).map(Number);
    const millis = Date.parse(value);
    // Date.parse lets 30 February and 24:00 roll over; those are refused, by luxon, below.
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
  return parseInstant(value, field).toMillis();
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

export function isInstant(value: unknown): value is Instant {
  return (
    typeof value === 'string' &&
    instantPattern.test(value) &&
    DateTime.fromISO(value, { setZone: true }).isValid
  );
}

export function isLocalDate(value: unknown): value is LocalDate {
  return (
    typeof value === 'string' &&
    datePattern.test(value) &&
    DateTime.fromISO(value, { zone: 'utc' }).isValid
  );
}

/** `HH:mm`; `24:00` only where `allowEndOfDay` (the end of a daily window reaching midnight). */
export function isLocalTime(value: unknown, allowEndOfDay = false): value is LocalTime {
  return (
    typeof value === 'string' && (timePattern.test(value) || (allowEndOfDay && value === '24:00'))
  );
}

// IANAZone.isValidZone builds an Intl formatter on every call (~100 µs): remember the answers.
const zoneValidity = new Map<string, boolean>();

export function isTimezone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0) return false;
  let valid = zoneValidity.get(value);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(value);
    if (zoneValidity.size > 1_000) zoneValidity.clear();
    zoneValidity.set(value, valid);
  }
  return valid;
}

export function parseLocalDate(value: LocalDate, field = 'date'): LocalDate {
  if (!isLocalDate(value)) {
    throw new DomainRuleViolation(
      'invalid_date',
      `${field} must be a calendar date YYYY-MM-DD (got ${JSON.stringify(value)})`,
    );
  }
  return value;
}
