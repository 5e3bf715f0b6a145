/**
 * A domain event is plain data: an explicit past-tense type string that never changes once released,
 * and a payload. Envelope fields (ids, positions, who recorded it) are added by the event store.
 */
export type Event<Type extends string = string, Data extends object = object> = Readonly<{
  type: Type;
  data: Readonly<Data>;
}>;

/** An ISO 8601 instant with an offset, e.g. `2025-08-09T07:30:00+07:00`. */
export type Instant = string;
/** A calendar date, `YYYY-MM-DD`. */
export type LocalDate = string;
/** A wall-clock time of day, `HH:mm`. */
export type LocalTime = string;

/** Data a command brings besides its payload: ids and time are passed in, never generated inside. */
export type CommandContext = Readonly<{
  now: Instant;
  /** Who issues the command (the token's `sub`). */
  actorId: string;
  actorRole: Role;
}>;

export type Role = 'volunteer' | 'coordinator' | 'operator' | 'auditor' | 'viewer';
