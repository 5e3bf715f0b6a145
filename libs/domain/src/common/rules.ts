import { DomainRuleViolation } from './errors.js';
import type { Instant } from './event.js';
import { instantMillis } from './instant.js';

/** How far ahead of `now` a fact may be dated (clocks of phones drift a little). */
export const defaultFutureToleranceMinutes = 5;

/** A required piece of text, trimmed; blank is refused with `<field>_required`. */
export function requireText(value: string | null | undefined, field: string): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') {
    throw new DomainRuleViolation(`${toSnake(field)}_required`, `${field} must not be empty`);
  }
  return text;
}

/** Refuses facts dated more than the tolerance after `now`: they cannot have happened yet. */
export function requireNotInFuture(
  instant: Instant,
  field: string,
  now: Instant,
  toleranceMinutes = defaultFutureToleranceMinutes,
): number {
  const at = instantMillis(instant, field);
  const limit = instantMillis(now, 'now') + toleranceMinutes * 60_000;
  if (at > limit) {
    throw new DomainRuleViolation(
      'in_the_future',
      `${field} ${instant} is more than ${toleranceMinutes} minutes in the future (now is ${now})`,
    );
  }
  return at;
}

export function requireNonNegativeInteger(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new DomainRuleViolation(
      `${toSnake(field)}_invalid`,
      `${field} must be a whole number ≥ 0 (got ${value})`,
    );
  }
  return value;
}

const toSnake = (field: string): string =>
  field
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/\W+/g, '_')
    .toLowerCase();
