import { Conflict, DomainRuleViolation, NotFound } from '../common/errors.js';
import { deciderSpec } from '../testing/decider-spec.js';
import { coordinator } from '../testing/fixtures.js';
import type { HoldProgramme, RecordProgrammeAttendance } from './programme.commands.js';
import { programmeDecider } from './programme.decider.js';
import type { ProgrammeAttendanceRecorded, ProgrammeHeld } from './programme.events.js';

const programme = deciderSpec(programmeDecider, { ...coordinator, unitExists: true });
const hold = (data: Partial<HoldProgramme['data']> = {}): HoldProgramme => ({
  type: 'HoldProgramme',
  data: {
    programmeId: 'p-1',
    unitId: 'ward-3',
    kind: 'awareness',
    title: ' Phòng chống lừa đảo trên mạng ',
    topic: 'cyber-crime',
    startsAt: '2025-08-01T08:00:00+07:00',
    endsAt: '2025-08-01T11:00:00+07:00',
    partners: ['Công an phường', 'Công an phường'],
    attendees: { members: 40, citizens: 0 },
    ...data,
  },
});
const held: ProgrammeHeld = {
  type: 'ProgrammeHeld',
  data: {
    programmeId: 'p-1',
    unitId: 'ward-3',
    kind: 'awareness',
    title: 'Phòng chống lừa đảo trên mạng',
    topic: 'cyber-crime',
    startsAt: '2025-08-01T08:00:00+07:00',
    endsAt: '2025-08-01T11:00:00+07:00',
    partners: ['Công an phường'],
    attendees: { members: 40, citizens: 0 },
  },
};
const count = (
  data: Partial<RecordProgrammeAttendance['data']> = {},
): RecordProgrammeAttendance => ({
  type: 'RecordProgrammeAttendance',
  data: {
    programmeId: 'p-1',
    members: 45,
    citizens: 120,
    recordedAt: '2025-08-02T09:00:00+07:00',
    ...data,
  },
});
const counted = (members: number, citizens: number, recordedAt: string) =>
  ({
    type: 'ProgrammeAttendanceRecorded',
    data: { programmeId: 'p-1', attendees: { members, citizens }, recordedAt },
  }) satisfies ProgrammeAttendanceRecorded;

describe('holding a programme', () => {
  it('records ProgrammeHeld with trimmed text and each partner once', () => {
    programme.given([]).when(hold()).then([held]);
  });

  it('refuses an unknown unit, an unknown kind, a blank title and an id already used', () => {
    programme.given([]).when(hold(), { unitExists: false }).thenThrows(NotFound, 'unit_not_found');
    programme
      .given([])
      .when(hold({ kind: 'picnic' as never }))
      .thenThrows(DomainRuleViolation, 'kind_invalid');
    programme
      .given([])
      .when(hold({ title: ' ' }))
      .thenThrows(DomainRuleViolation, 'title_required');
    programme.given([held]).when(hold()).thenThrows(Conflict, 'programme_already_held');
  });

  it('refuses a start in the future, an end before the start and negative or huge counts', () => {
    programme
      .given([])
      .when(hold({ startsAt: '2025-08-11T08:00:00+07:00', endsAt: null }))
      .thenThrows(DomainRuleViolation, 'in_the_future');
    programme
      .given([])
      .when(hold({ endsAt: '2025-08-01T07:00:00+07:00' }))
      .thenThrows(DomainRuleViolation, 'ends_before_start');
    programme
      .given([])
      .when(hold({ attendees: { members: -1, citizens: 0 } }))
      .thenThrows(DomainRuleViolation, 'attendees_members_invalid');
    programme
      .given([])
      .when(hold({ attendees: { members: 0, citizens: 1_000_001 } }))
      .thenThrows(DomainRuleViolation, 'attendees_citizens_invalid');
  });
});

describe('recording a programme’s attendance', () => {
  it('records the new count; a count left out keeps its current value', () => {
    programme
      .given([held])
      .when(count())
      .then([counted(45, 120, '2025-08-02T09:00:00+07:00')]);
    programme
      .given([held])
      .when(count({ members: null }))
      .then([counted(40, 120, '2025-08-02T09:00:00+07:00')]);
  });

  it('replaces an earlier count with a later one, and refuses an older one arriving late', () => {
    const first = counted(45, 120, '2025-08-02T09:00:00+07:00');
    programme
      .given([held, first])
      .when(count({ members: 50, recordedAt: '2025-08-03T09:00:00+07:00' }))
      .then([counted(50, 120, '2025-08-03T09:00:00+07:00')]);
    programme
      .given([held, first])
      .when(count({ recordedAt: '2025-08-01T10:00:00+07:00' }))
      .thenThrows(Conflict, 'attendance_superseded');
  });

  it('refuses an unknown programme, no count, a bad count and a count before the start', () => {
    programme.given([]).when(count()).thenThrows(NotFound, 'programme_not_found');
    programme
      .given([held])
      .when(count({ members: null, citizens: null }))
      .thenThrows(DomainRuleViolation, 'attendance_required');
    programme
      .given([held])
      .when(count({ citizens: 2.5 }))
      .thenThrows(DomainRuleViolation, 'citizens_invalid');
    programme
      .given([held])
      .when(count({ recordedAt: '2025-07-31T09:00:00+07:00' }))
      .thenThrows(DomainRuleViolation, 'recorded_before_programme');
  });
});
