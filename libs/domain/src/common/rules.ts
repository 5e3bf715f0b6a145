import { DomainRuleViolation } from './errors.js';
import type { Instant } from './event.js';
import { instantMillis } from './instant.js';
import { requireFreeText, requireInstant, toSnake, type TextKind } from './values.js';

/** How far ahead of `now` a fact may be dated (clocks of phones drift a little). */
export const defaultFutureToleranceMinutes = 5;

/**
 * A required piece of free text of a kind (values.ts), trimmed; blank is refused with
 * `<field>_required`, too long or not valid Unicode with `<field>_invalid`.
 */
export function requireText(
  value: string | null | undefined,
  field: string,
  kind: TextKind = 'name',
): string {
  return requireFreeText(value, field, kind);
}

/** Refuses facts dated more than the tolerance after `now`: they cannot have happened yet. */
export function requireNotInFuture(
  instant: Instant,
  field: string,
  now: Instant,
  toleranceMinutes = defaultFutureToleranceMinutes,
): number {
  const at = requireInstant(instant, field);
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
