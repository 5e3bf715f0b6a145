import { DateTime } from 'luxon';
import {
  defaultTimezone,
  instantProblem,
  localDay,
  localDateProblem,
  timezoneProblem,
} from '#domain';

export const DEFAULT_READ_TIMEZONE = defaultTimezone;

export class InvalidPeriod extends Error {
  constructor(
    readonly field: 'from' | 'to' | 'tz',
    message: string,
  ) {
    super(message);
    this.name = 'InvalidPeriod';
  }
}

/**
 * The half-open instant range [from, to) a period names (API.md "Queries"): instants as given; a date
 * `YYYY-MM-DD` is the whole day in `tz`, so `to` is inclusive for a date and exclusive for an instant.
 */
export function resolvePeriod(q: { from?: string; to?: string; tz?: string }): {
  from?: string;
  to?: string;
} {
  // A pure function of its three strings, asked with the same ones by every refresh of a dashboard;
  // luxon's parsing was 2 % of the API's CPU under the dashboard bench.
  const asked = JSON.stringify([q.from ?? null, q.to ?? null, q.tz ?? null]);
  const known = resolved.get(asked);
  if (known) return { ...known };
  const range = resolveAnew(q);
  if (resolved.size >= 1_000) resolved.delete(resolved.keys().next().value!);
  resolved.set(asked, range);
  return { ...range };
}

/** Periods resolved lately (never a refused one: those throw). */
const resolved = new Map<string, Readonly<{ from?: string; to?: string }>>();

function resolveAnew(q: { from?: string; to?: string; tz?: string }): {
  from?: string;
  to?: string;
} {
  const zone = q.tz ?? DEFAULT_READ_TIMEZONE;
  const zoneProblem = timezoneProblem(zone);
  if (zoneProblem) throw new InvalidPeriod('tz', `tz ${zoneProblem}`);
  const at = (value: string | undefined, field: 'from' | 'to'): string | undefined => {
    if (value === undefined) return undefined;
    // the domain's value types say what a date and an instant are (#domain values.ts)
    const isDate = !value.includes('T');
    const problem = isDate ? localDateProblem(value) : instantProblem(value);
    if (problem) {
      throw new InvalidPeriod(
        field,
        `${field} must be an ISO 8601 instant with an offset or a date YYYY-MM-DD: it ${problem}`,
      );
    }
    if (!isDate) return DateTime.fromISO(value, { setZone: true }).toUTC().toISO()!;
    // the campaigns' day rule (#domain localDay): a day starts at its first midnight
    const day = localDay(value, zone);
    return new Date(field === 'to' ? day.end : day.start).toISOString();
  };
  const range = { from: at(q.from, 'from'), to: at(q.to, 'to') };
  if (range.from && range.to && Date.parse(range.from) > Date.parse(range.to))
    throw new InvalidPeriod('from', 'from must not be after to');
  return range;
}
