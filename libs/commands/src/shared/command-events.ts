import { eventSchemaVersions, type DomainEventType } from '#domain';
import type { AppendResult, NewEvent } from '#event-store';
import { eventIdFor } from './command-id.js';
import type { CommandResult } from './command-result.js';
import { occurredAtOf } from './occurred-at.js';

/** What a command's envelope says of the events it appends and of its answer. */
type Envelope = Readonly<{
  commandId: string;
  actor: Readonly<{ sub: string }>;
  id: string;
  streamId: string;
}>;

/**
 * A decided event as appended: its id derived from the command key (so a resend finds it), the
 * schema version of its type, and the envelope's metadata.
 */
export function toNewEvent(
  command: Envelope,
  key: string,
  now: string,
  event: Readonly<{ type: string; data: object }>,
  index: number,
): NewEvent {
  return {
    eventId: eventIdFor(key, index),
    type: event.type,
    schemaVersion: eventSchemaVersions[event.type as DomainEventType] ?? 1,
    data: event.data as Record<string, unknown>,
    metadata: {
      occurredAt: occurredAtOf(event) ?? now,
      recordedAt: now,
      recordedBy: command.actor.sub,
      commandId: command.commandId,
      correlationId: command.commandId,
      causationId: null,
    },
  };
}

/** The appended events with their stream versions, for the directory. */
export function withVersions(events: readonly NewEvent[], appended: AppendResult) {
  const first = appended.nextExpectedVersion - BigInt(events.length) + 1n;
  return events.map((e, i) => ({ type: e.type, data: e.data, streamVersion: first + BigInt(i) }));
}

/** The answer of a command that appended. */
export function resultOf(command: Envelope, appended: AppendResult): CommandResult {
  return {
    id: command.id,
    streamId: command.streamId,
    version: Number(appended.nextExpectedVersion),
    position: Number(appended.position),
  };
}
