import {
  abbreviationZones,
  defaultTimezone,
  firstDate,
  icuZonePlace,
  instantBounds,
  isCalendarDate,
  lastDate,
  localTimeProblem,
  readInstantMillis,
  timezoneProblem,
} from './values.js';

/**
 * The stored side of the value types (values.ts has the gate): what a consumer reads from the log.
 * Older gates were wider (any 4-digit year, any offset luxon read), so an event may hold anything they
 * let through; these readers bring it into the gate's range (clamped) or answer null, and never
 * throw: one odd event must not stop the directory, a projection or a read.
 */

/**
 * Whether a stored value is a JSON object (not null, not an array): what `data` and `metadata` of an
 * event must be before a consumer reads fields from them, and what a certificate's parts must be.
 */
export const isJsonObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Epoch milliseconds of a stored instant, clamped to the gate's range; null when unreadable. */
export function storedInstantMillis(value: unknown): number | null {
  const millis = readInstantMillis(value);
  return millis === null ? null : Math.min(instantBounds.max, Math.max(instantBounds.min, millis));
}

/** A stored instant as UTC ISO text that PostgreSQL and `Date` take, clamped; null when unreadable. */
export function storedInstant(value: unknown): string | null {
  const millis = storedInstantMillis(value);
  return millis === null ? null : new Date(millis).toISOString();
}

/** A stored date clamped to the gate's years; `fallback` when it is not a real date. */
export function storedLocalDate(value: unknown, fallback: string = firstDate): string {
  if (!isCalendarDate(value)) return fallback;
  return value < firstDate ? firstDate : value > lastDate ? lastDate : value;
}

export function storedLocalTime(value: unknown, fallback: string, endOfDay = false): string {
  return localTimeProblem(value, endOfDay) === null ? (value as string) : fallback;
}

/**
 * A stored zone when it is a valid IANA name, else the field's default zone. A zone that older gates let
 * through under an abbreviation's name (`CET`) reads as the place with the same rules, as the JS side
 * always read it, so that SQL reads it the same way (abbreviationZones); so does one under ICU's own
 * name (`VST`, Asia/Saigon: icuZonePlace), which PostgreSQL does not know or reads otherwise.
 */
export function storedTimezone(value: unknown): string {
  const place =
    typeof value === 'string'
      ? (abbreviationZones.get(value.toUpperCase()) ?? icuZonePlace(value))
      : undefined;
  if (place) return place;
  return timezoneProblem(value) === null ? (value as string) : defaultTimezone;
}

/** A stored count as a whole number within [min, max] (a PostgreSQL integer holds 2^31 − 1). */
export function storedCount(value: unknown, min = 0, max = 1_000_000): number {
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(number)) return min;
  return Math.min(max, Math.max(min, Math.trunc(number)));
}
