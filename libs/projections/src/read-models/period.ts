import { DateTime } from 'luxon';

export const DEFAULT_READ_TIMEZONE = 'Asia/Ho_Chi_Minh';

export class InvalidPeriod extends Error {
  constructor(
    readonly field: 'from' | 'to',
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
  const zone = q.tz ?? DEFAULT_READ_TIMEZONE;
  const at = (value: string | undefined, field: 'from' | 'to'): string | undefined => {
    if (value === undefined) return undefined;
    const isDate = /^\d{4}-\d{2}-\d{2}$/.test(value);
    const parsed = isDate
      ? DateTime.fromISO(value, { zone })
      : DateTime.fromISO(value, { setZone: true });
    if (!parsed.isValid || (!isDate && !/(Z|[+-]\d{2}:?\d{2})$/i.test(value))) {
      throw new InvalidPeriod(
        field,
        `${field} must be an ISO 8601 instant with an offset or a date YYYY-MM-DD`,
      );
    }
    return (isDate && field === 'to' ? parsed.plus({ days: 1 }) : parsed).toUTC().toISO()!;
  };
  const range = { from: at(q.from, 'from'), to: at(q.to, 'to') };
  if (range.from && range.to && Date.parse(range.from) > Date.parse(range.to))
    throw new InvalidPeriod('from', 'from must not be after to');
  return range;
}
