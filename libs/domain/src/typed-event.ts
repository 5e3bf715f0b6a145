import { eventSchemaVersions, type DomainEvent, type DomainEventType } from './events.js';

/** The payload of the domain event named `T`, e.g. `EventData<'ShiftStarted'>`. */
export type EventData<T extends DomainEventType> = Extract<DomainEvent, { type: T }>['data'];

/** What every carrier of an event has: a recorded event, an integration message, a directory input. */
type Envelope = Readonly<{ type: string; data: unknown }>;

/**
 * An envelope `E` whose type names a domain event, with that event's payload as `data` instead of the
 * log's untyped JSON: `TypedEvent<RecordedEvent, 'ShiftStarted'>` keeps the envelope (stream version,
 * position, metadata) and types `data` as `ShiftStarted['data']`. Over several types it is a union,
 * so `switch (event.type)` narrows `data` in each branch.
 *
 * The type says what the event's type promises, not what a stored value holds: an event in the log
 * passed an older, sometimes wider gate (an offset of +16:00, year 0, a count of 10^9), a field
 * added later may be missing, and personal data is sealed (`MemberEnrolled.displayName` is a sealed
 * value, not text). Read stored values with the stored-side readers (`storedInstant`, `storedCount`,
 * …), which clamp or answer null, and the payload as of the type's current schema version (upcast
 * older versions first).
 */
export type TypedEvent<E extends Envelope, T extends DomainEventType = DomainEventType> = E &
  (T extends DomainEventType ? Readonly<{ type: T; data: EventData<T> }> : never);

/** Narrows an envelope to the domain events it names: `if (isEvent(e, 'ShiftStarted')) e.data.shiftId`. */
export function isEvent<E extends Envelope, T extends DomainEventType>(
  event: E,
  ...types: readonly T[]
): event is TypedEvent<E, T> {
  return (types as readonly string[]).includes(event.type);
}

/**
 * The envelopes of a list whose type is one of `types`, typed as those events: one Set for the list,
 * where filtering with `isEvent(e, ...types)` spread the types into a new array at every element (a
 * projection filters each batch of thousands of events several times).
 */
export function eventsOf<E extends Envelope, T extends DomainEventType>(
  events: readonly E[],
  ...types: readonly T[]
): TypedEvent<E, T>[] {
  const wanted = new Set<string>(types);
  return events.filter((event): event is TypedEvent<E, T> => wanted.has(event.type));
}

/** The envelope typed as the domain event its type names (for a `switch`); null for any other type. */
export function domainEvent<E extends Envelope>(event: E): TypedEvent<E> | null {
  return Object.hasOwn(eventSchemaVersions, event.type) ? (event as TypedEvent<E>) : null;
}
