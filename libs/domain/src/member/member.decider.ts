import type { Decider } from '../common/decider.js';
import { Conflict, DomainRuleViolation, NotFound } from '../common/errors.js';
import type { CommandContext } from '../common/event.js';
import { requireNotInFuture, requireText } from '../common/rules.js';
import { skillCodeProblem } from '../common/values.js';
import type { MemberCommand } from './member.commands.js';
import type { MemberEvent } from './member.events.js';

/** The answer to a command on a member nobody enrolled (or a shift for one). */
export const memberNotFound = (memberId: string) =>
  new NotFound('member_not_found', `member ${memberId} does not exist`);

/** The name is not kept in the state: it is personal data, and no rule needs it. */
export type MemberState = Readonly<{
  memberId: string;
  unitId: string;
  erased: boolean;
  /** Skill codes attained so far. */
  skills: readonly string[];
}> | null;

export type MemberContext = CommandContext &
  Readonly<{
    /** EnrollMember: whether the command's `unitId` names a registered unit. */
    unitExists: boolean;
    futureToleranceMinutes?: number;
  }>;

export const initialMemberState: MemberState = null;

export function evolveMember(state: MemberState, event: MemberEvent): MemberState {
  switch (event.type) {
    case 'MemberEnrolled':
      return {
        memberId: event.data.memberId,
        unitId: event.data.unitId,
        erased: false,
        skills: [],
      };
    case 'MemberDataErased':
      return state && { ...state, erased: true };
    case 'MemberSkillAttained':
      return state && { ...state, skills: [...state.skills, event.data.skill] };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

export function decideMember(
  command: MemberCommand,
  state: MemberState,
  context: MemberContext,
): MemberEvent[] {
  switch (command.type) {
    case 'EnrollMember': {
      const { memberId, unitId } = command.data;
      if (state)
        throw new Conflict('member_already_enrolled', `member ${memberId} is already enrolled`);
      if (!context.unitExists)
        throw new NotFound('unit_not_found', `unit ${unitId} does not exist`);
      const displayName = requireText(command.data.displayName, 'displayName');
      return [{ type: 'MemberEnrolled', data: { memberId, unitId, displayName } }];
    }
    case 'EraseMemberData': {
      const { memberId } = command.data;
      if (!state) throw memberNotFound(memberId);
      if (state.erased) {
        throw new Conflict(
          'member_already_erased',
          `the personal data of member ${memberId} is already erased`,
        );
      }
      return [{ type: 'MemberDataErased', data: { memberId } }];
    }
    case 'AttainSkill': {
      const { memberId, skill, attainedAt } = command.data;
      if (!state) throw memberNotFound(memberId);
      const problem = skillCodeProblem(skill);
      if (problem) {
        throw new DomainRuleViolation(
          'skill_invalid',
          `skill ${problem} (got ${JSON.stringify(skill)})`,
        );
      }
      requireNotInFuture(attainedAt, 'attainedAt', context.now, context.futureToleranceMinutes);
      if (state.erased) {
        throw new DomainRuleViolation('member_erased', `member ${memberId} has been erased`);
      }
      // Once per member and skill: a second record is a no-op (the handler answers the first result).
      if (state.skills.includes(skill)) return [];
      return [{ type: 'MemberSkillAttained', data: { memberId, skill, attainedAt } }];
    }
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

export const memberDecider: Decider<MemberCommand, MemberEvent, MemberState, MemberContext> = {
  decide: decideMember,
  evolve: evolveMember,
  initialState: initialMemberState,
};
