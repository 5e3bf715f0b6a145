import { isJsonObject, upcastEvent, type OnOddSchema } from '#domain';
import type { RecordedEvent } from '#event-store';

/** Identifies the JSON layout of a message value; a breaking change gets a new `/vN`. See docs/integration-events.md. */
export const integrationSchema = 'volunteer-campaigns.event/v1';

/** The value of every message the relay publishes. */
export type IntegrationMessage = Readonly<{
  schema: typeof integrationSchema;
  eventId: string;
  type: string;
  schemaVersion: number;
  streamId: string;
  streamVersion: number;
  /** A string because positions are 64-bit and JSON numbers are not. */
  globalPosition: string;
  /** Null only for an event stored without it (written outside the API); likewise the next two. */
  occurredAt: string | null;
  recordedAt: string | null;
  correlationId: string | null;
  data: Readonly<Record<string, unknown>>;
  /** Names of personal-data fields removed from `data` (absent when none were). */
  redacted?: readonly string[];
  /** Why `data` is empty although the stored event has some (absent when it is not). */
  withheld?: WithheldReason;
}>;

/**
 * `unreadable`: the stored `data` is not a JSON object, so it cannot be published as one;
 * `personal_data`: the stored `data` is itself a sealed value (see `containsSealed`);
 * `too_large`: the message would exceed what its topic accepts (`max.message.bytes`).
 */
export type WithheldReason = 'unreadable' | 'personal_data' | 'too_large';

export type OutgoingMessage = Readonly<{
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
  /** Set when the message carries the event without its data; the relay logs it. */
  withheld?: WithheldReason;
}>;

/** Stream categories that get a topic each; any other stream goes to `<prefix>other`. */
export const streamCategories = [
  'unit',
  'member',
  'campaign',
  'shift',
  'club',
  'post',
  'programme',
] as const;

export function topicFor(streamId: string, prefix: string): string {
  const category = streamId.slice(0, Math.max(0, streamId.indexOf('-')));
  return (streamCategories as readonly string[]).includes(category)
    ? `${prefix}${category}`
    : `${prefix}other`;
}

export function allTopics(prefix: string): string[] {
  return [...streamCategories, 'other'].map((category) => `${prefix}${category}`);
}

/**
 * Personal data never leaves the system through Kafka, sealed or not: a sealed value is useless to a
 * consumer without the subject's key, and once a member is erased even a ciphertext copy sitting in a
 * topic's retention is data we promised to forget. The fields are dropped and their names listed.
 */
const personalDataFields: Readonly<Record<string, readonly string[]>> = {
  MemberEnrolled: ['displayName'],
  CitizenAssisted: ['citizenRef'],
};

/**
 * Sealed values (libs/platform personal-data: `{ $sealed: 1, subject, iv, tag, data }`) are recognised
 * by their marker at any depth, whatever event carries them, and the top-level field holding one is
 * dropped too.
 */
// With a stack of its own, not recursion: the relay reads every event the store accepted, and one
// nested deeper than the call stack must not stop it.
function containsSealed(value: unknown): boolean {
  const stack = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item !== 'object' || item === null) continue;
    if (!Array.isArray(item) && '$sealed' in item) return true;
    for (const child of Object.values(item)) stack.push(child);
  }
  return false;
}

export function redactPersonalData(
  type: string,
  data: Readonly<Record<string, unknown>>,
): { data: Record<string, unknown>; redacted: string[] } {
  const named = personalDataFields[type] ?? [];
  const kept: Record<string, unknown> = {};
  const redacted: string[] = [];
  for (const [field, value] of Object.entries(data)) {
    if (named.includes(field) || containsSealed(value)) redacted.push(field);
    else kept[field] = value;
  }
  return { data: kept, redacted };
}

/**
 * The store keeps whatever a writer appended (the PostgreSQL columns are `jsonb NOT NULL`, nothing
 * more), and events written outside the API (an import, `seed synthetic`, an older or newer writer)
 * may lack a metadata field or carry `data` that is not an object. Such an event is published with
 * what can be read of it (a missing field as null, its header left out, unreadable `data` withheld):
 * consumers still see its id and stream version, and the relay never stops on it, which would hold
 * every later event back for ever.
 */
const storedText = (value: unknown): string | null => (typeof value === 'string' ? value : null);

export function toIntegrationMessage(event: RecordedEvent): IntegrationMessage {
  // `data` that is itself a sealed value has no field to drop: all of it is withheld.
  const withheld: WithheldReason | null = !isJsonObject(event.data)
    ? 'unreadable'
    : '$sealed' in event.data
      ? 'personal_data'
      : null;
  const { data, redacted } = redactPersonalData(event.type, withheld ? {} : event.data);
  const metadata: Readonly<Record<string, unknown>> = isJsonObject(event.metadata)
    ? event.metadata
    : {};
  return {
    schema: integrationSchema,
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    streamId: event.streamId,
    streamVersion: Number(event.streamVersion),
    globalPosition: event.globalPosition.toString(),
    occurredAt: storedText(metadata.occurredAt),
    recordedAt: storedText(metadata.recordedAt),
    correlationId: storedText(metadata.correlationId),
    data,
    ...(redacted.length > 0 ? { redacted } : {}),
    ...(withheld ? { withheld } : {}),
  };
}

/**
 * Topic, key (the stream id: Kafka keeps one key's messages in order on one partition), value and headers.
 *
 * The message carries the event in the current shape of its type and says that version (`schemaVersion`
 * and the `schema-version` header), not the stored form: consumers outside this repository do not have
 * its upcasters (#domain upcastEvent), and a replay of the whole log to Kafka then gives one shape per
 * type. Messages published before a type's version changed keep their older version in the topic, so a
 * consumer still reads `schemaVersion`; republished after the change (a checkpoint reset), an event
 * keeps its `eventId` and carries the newer version. The stored form, with the hashes that cover it, is
 * the audit routes' (`GET /audit/streams/:id`). See docs/integration-events.md "Schema versions".
 */
export function toOutgoingMessage(
  stored: RecordedEvent,
  topicPrefix: string,
  onOdd?: OnOddSchema,
): OutgoingMessage {
  const event = upcastEvent(stored, onOdd);
  const message = toIntegrationMessage(event);
  return {
    topic: topicFor(event.streamId, topicPrefix),
    key: event.streamId,
    value: JSON.stringify(message),
    headers: {
      'event-id': event.eventId,
      'event-type': event.type,
      'schema-version': String(event.schemaVersion),
      'global-position': event.globalPosition.toString(),
      ...(message.correlationId === null ? {} : { 'correlation-id': message.correlationId }),
    },
    ...(message.withheld ? { withheld: message.withheld } : {}),
  };
}

/**
 * The message without its data, for an event whose message its topic would refuse: the broker refuses
 * it however often it is sent, so publishing it whole would hold every later event back for ever.
 * Consumers still see the event's id, type and stream version (no gap in the stream), and read its
 * data at `GET /audit/streams/:streamId`.
 */
export function withDataWithheld(
  message: OutgoingMessage,
  reason: WithheldReason,
): OutgoingMessage {
  const value = JSON.parse(message.value) as IntegrationMessage;
  return {
    ...message,
    value: JSON.stringify({ ...value, data: {}, withheld: reason }),
    withheld: reason,
  };
}

/** Parses a message value back, checking the schema; for consumers (the dashboard feed). */
export function parseIntegrationMessage(value: Buffer | string | null): IntegrationMessage | null {
  if (value === null) return null;
  const parsed = JSON.parse(String(value)) as IntegrationMessage;
  return parsed.schema === integrationSchema ? parsed : null;
}
