import type { DomainEventType, TypedEvent } from '#domain';
import type { RecordedEvent } from './event-store.port.js';

/**
 * A recorded event of the domain event type `T`, its `data` typed as that event's payload (narrow one
 * with #domain's `isEvent` or `domainEvent`). Stored values still go through the stored-side readers:
 * see `TypedEvent`.
 */
export type DomainRecordedEvent<T extends DomainEventType = DomainEventType> = TypedEvent<
  RecordedEvent,
  T
>;
