import type { Event, Instant } from '../common/event.js';

/** The kinds of outreach a union reports (awareness sessions, trainings, contests, youth projects). */
export const programmeKinds = ['awareness', 'training', 'contest', 'youth_project'] as const;
export type ProgrammeKind = (typeof programmeKinds)[number];

/** Who took part: union members and citizens, each a whole number ≥ 0 (a head count, not turns). */
export type ProgrammeAttendees = Readonly<{ members: number; citizens: number }>;

export type ProgrammeHeld = Event<
  'ProgrammeHeld',
  {
    programmeId: string;
    unitId: string;
    kind: ProgrammeKind;
    title: string;
    topic: string | null;
    startsAt: Instant;
    endsAt: Instant | null;
    partners: string[];
    attendees: ProgrammeAttendees;
  }
>;
/**
 * A head count taken later; it replaces the earlier count (it is not added to it). Schema version 2:
 * version 1 carried `members` and `citizens` at the top of `data` (programme.upcasters.ts).
 */
export type ProgrammeAttendanceRecorded = Event<
  'ProgrammeAttendanceRecorded',
  { programmeId: string; attendees: ProgrammeAttendees; recordedAt: Instant }
>;

export type ProgrammeEvent = ProgrammeHeld | ProgrammeAttendanceRecorded;

export const programmeStreamId = (programmeId: string): string => `programme-${programmeId}`;
