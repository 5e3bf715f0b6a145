import type { Decider } from '../common/decider.js';
import { Conflict, NotFound } from '../common/errors.js';
import type { CommandContext } from '../common/event.js';
import { requireText } from '../common/rules.js';
import type { MemberCommand } from './member.commands.js';
import type { MemberEvent } from './member.events.js';

/** The name is not kept in the state: it is personal data, and no rule needs it. */
export type MemberState = Readonly<{ memberId: string; unitId: string; erased: boolean }> | null;

export type MemberContext = CommandContext &
  Readonly<{
    /** EnrollMember: whether the command's `unitId` names a registered unit. */
    unitExists: boolean;
  }>;

export const initialMemberState: MemberState = null;

export function evolveMember(state: MemberState, event: MemberEvent): MemberState {
  switch (event.type) {
    case 'MemberEnrolled':
      return { memberId: event.data.memberId, unitId: event.data.unitId, erased: false };
    case 'MemberDataErased':
      return state && { ...state, erased: true };
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
      if (!state) throw new NotFound('member_not_found', `member ${memberId} does not exist`);
      if (state.erased) {
        throw new Conflict(
          'member_already_erased',
          `the personal data of member ${memberId} is already erased`,
        );
      }
      return [{ type: 'MemberDataErased', data: { memberId } }];
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
