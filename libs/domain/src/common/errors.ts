/**
 * Refusals a decider raises. The HTTP layer maps each to its status (API.md "Errors"):
 * DomainRuleViolation → 422, NotFound → 404, Conflict → 409, Forbidden → 403.
 */
export abstract class DomainError extends Error {
  abstract readonly kind: 'rule' | 'not_found' | 'conflict' | 'forbidden';
  constructor(
    /** Stable machine-readable code, e.g. `shift_overlaps`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class DomainRuleViolation extends DomainError {
  readonly kind = 'rule' as const;
}
export class NotFound extends DomainError {
  readonly kind = 'not_found' as const;
}
export class Conflict extends DomainError {
  readonly kind = 'conflict' as const;
}
export class Forbidden extends DomainError {
  readonly kind = 'forbidden' as const;
}
