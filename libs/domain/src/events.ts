import type { CampaignEvent } from './campaign/campaign.events.js';
import type { CitizenEvent } from './citizen/citizen.events.js';
import type { ClubEvent } from './club/club.events.js';
import type { MemberEvent } from './member/member.events.js';
import type { ProgrammeEvent } from './programme/programme.events.js';
import type { PostEvent } from './post/post.events.js';
import type { ShiftEvent } from './shift/shift.events.js';
import type { UnitEvent } from './unit/unit.events.js';
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
