import { domainEvent } from '#domain';

/**
 * When the fact an event records happened, for the envelope's `occurredAt`: the instant the command
 * names (a shift started, a citizen helped, a club founded, a skill attained), or, for the rest, when
 * it was recorded (undefined here).
 */
export function occurredAtOf(event: Readonly<{ type: string; data: object }>): string | undefined {
  const e = domainEvent(event);
  switch (e?.type) {
    case 'ShiftStarted':
      return e.data.startedAt;
    case 'CitizenAssisted':
      return e.data.occurredAt;
    case 'ShiftEnded':
      return e.data.endedAt;
    case 'ClubFormed':
      return e.data.foundedAt;
    case 'PostPublished':
      return e.data.publishedAt;
    case 'ProgrammeHeld':
      return e.data.startsAt;
    case 'ProgrammeAttendanceRecorded':
      return e.data.recordedAt;
    case 'MemberSkillAttained':
      return e.data.attainedAt;
    default:
      return undefined;
  }
}
