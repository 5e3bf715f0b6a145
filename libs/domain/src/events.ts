import type { CampaignEvent } from './campaign/campaign.events.js';
import type { CitizenEvent } from './citizen/citizen.events.js';
import type { ClubEvent } from './club/club.events.js';
import type { MemberEvent } from './member/member.events.js';
import type { ProgrammeEvent } from './programme/programme.events.js';
import type { PostEvent } from './post/post.events.js';
import type { ShiftEvent } from './shift/shift.events.js';
import type { UnitEvent } from './unit/unit.events.js';
import { isJsonObject } from './common/stored-values.js';
import { upcasters, type OnOddSchema, type VersionedEvent } from './common/upcasting.js';
import { attendanceRecordedV1ToV2 } from './programme/programme.upcasters.js';

/** Every event the system records. */
export type DomainEvent =
  | UnitEvent
  | MemberEvent
  | CampaignEvent
  | ShiftEvent
  | ClubEvent
  | PostEvent
  | CitizenEvent
  | ProgrammeEvent;
export type DomainEventType = DomainEvent['type'];

/**
 * The upcasters of every event type, one pure step per schema version n → n + 1 (common/upcasting.ts):
 * a type with no step is at version 1. A new version of a type adds its step here, and only here.
 */
export const eventUpcasters = upcasters<DomainEventType>({
  UnitRegistered: [],
  MemberEnrolled: [],
  MemberDataErased: [],
  CitizenDataErased: [],
  CampaignLaunched: [],
  CampaignExtended: [],
  CampaignClosed: [],
  ShiftStarted: [],
  CitizenAssisted: [],
  ShiftEnded: [],
  ShiftCorrected: [],
  ShiftVerified: [],
  ShiftRejected: [],
  ClubFormed: [],
  PostPublished: [],
  ProgrammeHeld: [],
  ProgrammeAttendanceRecorded: [attendanceRecordedV1ToV2],
  MemberSkillAttained: [],
});

/** Current schema version of each event type, what new events are appended with (1 + its upcasters). */
export const eventSchemaVersions: Readonly<Record<DomainEventType, number>> =
  eventUpcasters.versions;

/**
 * A stored event in the current shape of its type: what every reader of the log folds, projects or
 * publishes. The audit routes, the Merkle log and the hours certificate keep the stored form instead,
 * because hashes cover it. Odd events (unknown type, newer version) come back as stored; see `onOdd`.
 */
export const upcastEvent: <E extends VersionedEvent>(event: E, onOdd?: OnOddSchema) => E =
  eventUpcasters.upcast;

/**
 * What a consumer needs of each event type to use it: the fields its rows, maps and folds are keyed
 * by. The API's gate always wrote them, but the log also holds what a script, a seed or an older
 * writer appended straight to the store, and one event no consumer can place must not stop every
 * projection, the directory or a command (the log is immutable: the gate is the domain). Other fields
 * are read with the stored-side readers (common/stored-values.ts), which clamp or answer null.
 *
 * A key missing from `data` is not recovered from the stream id (`shift-<id>`): the stream id is the
 * writers' naming convention, not the event's word, and an event written past the gate may sit in any
 * stream. Passing it over everywhere keeps every reader agreeing (the deciders too, so a shift whose
 * unreadable end was passed over is still open and can be ended through the API), and the audit routes
 * and the Merkle log keep showing it as stored.
 */
const eventKeys: Readonly<Record<DomainEventType, readonly string[]>> = {
  UnitRegistered: ['unitId'],
  MemberEnrolled: ['memberId', 'unitId'],
  MemberDataErased: ['memberId'],
  MemberSkillAttained: ['memberId'],
  CitizenDataErased: ['subjectId'],
  CampaignLaunched: ['campaignId'],
  CampaignExtended: ['campaignId'],
  CampaignClosed: ['campaignId'],
  ShiftStarted: ['shiftId'],
  CitizenAssisted: ['shiftId'],
  ShiftEnded: ['shiftId'],
  ShiftCorrected: ['shiftId'],
  ShiftVerified: ['shiftId'],
  ShiftRejected: ['shiftId'],
  ClubFormed: ['clubId', 'unitId'],
  PostPublished: ['postId', 'unitId'],
  ProgrammeHeld: ['programmeId', 'unitId'],
  ProgrammeAttendanceRecorded: ['programmeId'],
};

/**
 * A stored event as its consumers use it: upcast (`upcastEvent`), or null when they cannot, because its
 * data is not an object or lacks a key field of its type (`eventKeys`). A consumer passes a null over
 * (its checkpoint still moves past the event) and `onOdd` hears why. An unknown type comes back as
 * stored: consumers pick the types they handle and pass it over by type.
 */
export function readableEvent<E extends VersionedEvent>(event: E, onOdd?: OnOddSchema): E | null {
  const current = upcastEvent(event, onOdd);
  if (!Object.hasOwn(eventKeys, current.type)) return current;
  const keys = eventKeys[current.type as DomainEventType];
  const data: unknown = current.data;
  if (!isJsonObject(data)) {
    onOdd?.(current, 'unreadable_data');
    return null;
  }
  if (keys.some((key) => typeof data[key] !== 'string' || data[key] === '')) {
    onOdd?.(current, 'missing_key');
    return null;
  }
  return current;
}

/** The events of a list its consumers can use (`readableEvent`), upcast, in order. */
export function readableEvents<E extends VersionedEvent>(
  events: readonly E[],
  onOdd?: OnOddSchema,
): E[] {
  return events.flatMap((event) => readableEvent(event, onOdd) ?? []);
}
