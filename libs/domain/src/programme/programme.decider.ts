import type { Decider } from '../common/decider.js';
import { Conflict, DomainRuleViolation, NotFound } from '../common/errors.js';
import type { CommandContext, Instant } from '../common/event.js';
import { instantMillis } from '../common/instant.js';
import { requireNotInFuture, requireText } from '../common/rules.js';
import { requireFreeText, requireInstant, toSnake } from '../common/values.js';
import type { ProgrammeCommand } from './programme.commands.js';
import {
  programmeKinds,
  type ProgrammeAttendees,
  type ProgrammeEvent,
  type ProgrammeKind,
} from './programme.events.js';

/** Largest head count one programme may report (a province-wide contest stays well below it). */
export const maxProgrammeAttendees = 1_000_000;
export const maxProgrammePartners = 20;

/** The answer to a command on a programme nobody held. */
export const programmeNotFound = (programmeId: string) =>
  new NotFound('programme_not_found', `programme ${programmeId} does not exist`);

export type ProgrammeState = Readonly<{
  programmeId: string;
  unitId: string;
  startsAt: Instant;
  attendees: ProgrammeAttendees;
  /** When the current count was taken (null: the count given when the programme was recorded). */
  countedAt: Instant | null;
}> | null;

export type ProgrammeContext = CommandContext &
  Readonly<{
    /** HoldProgramme: whether the command's `unitId` names a registered unit. */
    unitExists: boolean;
    futureToleranceMinutes?: number;
  }>;

export const initialProgrammeState: ProgrammeState = null;

export function evolveProgramme(state: ProgrammeState, event: ProgrammeEvent): ProgrammeState {
  switch (event.type) {
    case 'ProgrammeHeld': {
      const { programmeId, unitId, startsAt, attendees } = event.data;
      return { programmeId, unitId, startsAt, attendees, countedAt: null };
    }
    case 'ProgrammeAttendanceRecorded': {
      const { attendees, recordedAt } = event.data;
      return state && { ...state, attendees, countedAt: recordedAt };
    }
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

function requireCount(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0 || value > maxProgrammeAttendees) {
    throw new DomainRuleViolation(
      `${toSnake(field)}_invalid`,
      `${field} must be a whole number from 0 to ${maxProgrammeAttendees} (got ${value})`,
    );
  }
  return value;
}

function requireKind(kind: string): ProgrammeKind {
  if (!(programmeKinds as readonly string[]).includes(kind)) {
    throw new DomainRuleViolation(
      'kind_invalid',
      `kind must be one of ${programmeKinds.join(', ')} (got ${JSON.stringify(kind)})`,
    );
  }
  return kind as ProgrammeKind;
}

function requirePartners(partners: readonly string[]): string[] {
  if (partners.length > maxProgrammePartners) {
    throw new DomainRuleViolation(
      'partners_invalid',
      `partners may name at most ${maxProgrammePartners} organisations`,
    );
  }
  const names = partners.map((p, i) => requireFreeText(p, `partners[${i}]`, 'partner'));
  return [...new Set(names)];
}

export function decideProgramme(
  command: ProgrammeCommand,
  state: ProgrammeState,
  context: ProgrammeContext,
): ProgrammeEvent[] {
  switch (command.type) {
    case 'HoldProgramme': {
      const { programmeId, unitId, startsAt, endsAt, attendees } = command.data;
      if (state) throw new Conflict('programme_already_held', `programme ${programmeId} exists`);
      if (!context.unitExists)
        throw new NotFound('unit_not_found', `unit ${unitId} does not exist`);
      const kind = requireKind(command.data.kind);
      const title = requireText(command.data.title, 'title', 'title');
      const topic = command.data.topic?.trim()
        ? requireFreeText(command.data.topic, 'topic', 'topic')
        : null;
      const start = requireNotInFuture(
        startsAt,
        'startsAt',
        context.now,
        context.futureToleranceMinutes,
      );
      if (endsAt !== null && requireInstant(endsAt, 'endsAt') < start) {
        throw new DomainRuleViolation('ends_before_start', `endsAt ${endsAt} is before startsAt`);
      }
      const partners = requirePartners(command.data.partners);
      const counted = {
        members: requireCount(attendees.members, 'attendees.members'),
        citizens: requireCount(attendees.citizens, 'attendees.citizens'),
      };
      return [
        {
          type: 'ProgrammeHeld',
          data: {
            programmeId,
            unitId,
            kind,
            title,
            topic,
            startsAt,
            endsAt,
            partners,
            attendees: counted,
          },
        },
      ];
    }
    case 'RecordProgrammeAttendance': {
      const { programmeId, members, citizens, recordedAt } = command.data;
      if (!state) throw programmeNotFound(programmeId);
      if (members === null && citizens === null) {
        throw new DomainRuleViolation('attendance_required', 'give members, citizens or both');
      }
      const at = requireNotInFuture(
        recordedAt,
        'recordedAt',
        context.now,
        context.futureToleranceMinutes,
      );
      if (at < instantMillis(state.startsAt, 'startsAt')) {
        throw new DomainRuleViolation(
          'recorded_before_programme',
          `recordedAt ${recordedAt} is before the programme starts (${state.startsAt})`,
        );
      }
      // A later count replaces the earlier one; an older count arriving late must not undo it.
      if (state.countedAt !== null && at < instantMillis(state.countedAt, 'countedAt')) {
        throw new Conflict(
          'attendance_superseded',
          `a count taken at ${state.countedAt} is already recorded; recordedAt ${recordedAt} is older`,
        );
      }
      return [
        {
          type: 'ProgrammeAttendanceRecorded',
          data: {
            programmeId,
            attendees: {
              members:
                members === null ? state.attendees.members : requireCount(members, 'members'),
              citizens:
                citizens === null ? state.attendees.citizens : requireCount(citizens, 'citizens'),
            },
            recordedAt,
          },
        },
      ];
    }
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

export const programmeDecider: Decider<
  ProgrammeCommand,
  ProgrammeEvent,
  ProgrammeState,
  ProgrammeContext
> = { decide: decideProgramme, evolve: evolveProgramme, initialState: initialProgrammeState };
