import type { CampaignEvent } from './campaign/campaign.events.js';
import type { CitizenEvent } from './citizen/citizen.events.js';
import type { ClubEvent } from './club/club.events.js';
import type { MemberEvent } from './member/member.events.js';
import type { ProgrammeEvent } from './programme/programme.events.js';
import type { PostEvent } from './post/post.events.js';
import type { ShiftEvent } from './shift/shift.events.js';
import type { UnitEvent } from './unit/unit.events.js';

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

/** Current schema version of each event type; a new version comes with an upcaster. */
export const eventSchemaVersions: Readonly<Record<DomainEventType, number>> = {
  UnitRegistered: 1,
  MemberEnrolled: 1,
  MemberDataErased: 1,
  CitizenDataErased: 1,
  CampaignLaunched: 1,
  CampaignExtended: 1,
  CampaignClosed: 1,
  ShiftStarted: 1,
  CitizenAssisted: 1,
  ShiftEnded: 1,
  ShiftCorrected: 1,
  ShiftVerified: 1,
  ShiftRejected: 1,
  ClubFormed: 1,
  PostPublished: 1,
  ProgrammeHeld: 1,
  ProgrammeAttendanceRecorded: 1,
  MemberSkillAttained: 1,
};
