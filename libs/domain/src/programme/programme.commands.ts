import type { Instant } from '../common/event.js';
import type { ProgrammeKind } from './programme.events.js';

export type HoldProgramme = Readonly<{
  type: 'HoldProgramme';
  data: Readonly<{
    programmeId: string;
    unitId: string;
    kind: ProgrammeKind;
    title: string;
    topic: string | null;
    startsAt: Instant;
    endsAt: Instant | null;
    partners: readonly string[];
    /** Absent counts are 0 (the HTTP layer fills them). */
    attendees: Readonly<{ members: number; citizens: number }>;
  }>;
}>;

/** Either count may be left out: it keeps its current value. */
export type RecordProgrammeAttendance = Readonly<{
  type: 'RecordProgrammeAttendance';
  data: Readonly<{
    programmeId: string;
    members: number | null;
    citizens: number | null;
    recordedAt: Instant;
  }>;
}>;

export type ProgrammeCommand = HoldProgramme | RecordProgrammeAttendance;
