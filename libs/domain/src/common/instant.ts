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

/** Milliseconds since the epoch of a valid instant (see `parseInstant`). */
export const instantMillis = (value: Instant, field?: string): number =>
  parseInstant(value, field).toMillis();

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

export const isTimezone = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && IANAZone.isValidZone(value);

export function parseLocalDate(value: LocalDate, field = 'date'): LocalDate {
  if (!isLocalDate(value)) {
    throw new DomainRuleViolation(
      'invalid_date',
      `${field} must be a calendar date YYYY-MM-DD (got ${JSON.stringify(value)})`,
    );
  }
  return value;
}
