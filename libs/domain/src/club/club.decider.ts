import type { Decider } from '../common/decider.js';
import { Conflict, NotFound } from '../common/errors.js';
import type { CommandContext, Instant } from '../common/event.js';
import { requireNonNegativeInteger, requireNotInFuture, requireText } from '../common/rules.js';
import { requireFreeText } from '../common/values.js';
import type { ClubCommand } from './club.commands.js';
import type { ClubEvent } from './club.events.js';

export type ClubState = Readonly<{
  clubId: string;
  unitId: string;
  name: string;
  foundedAt: Instant;
}> | null;

export type ClubContext = CommandContext &
  Readonly<{
    /** FormClub: whether the command's `unitId` names a registered unit. */
    unitExists: boolean;
    /** Default 5. */
    futureToleranceMinutes?: number;
  }>;

export const initialClubState: ClubState = null;

export function evolveClub(_state: ClubState, event: ClubEvent): ClubState {
  switch (event.type) {
    case 'ClubFormed': {
      const { clubId, unitId, name, foundedAt } = event.data;
      return { clubId, unitId, name, foundedAt };
    }
    default: {
      const unknown: never = event.type;
      return unknown;
    }
  }
}

export function decideClub(
  command: ClubCommand,
  state: ClubState,
  context: ClubContext,
): ClubEvent[] {
  switch (command.type) {
    case 'FormClub': {
      const { clubId, unitId, foundedAt, foundingMembers } = command.data;
      if (state) throw new Conflict('club_already_formed', `club ${clubId} already exists`);
      if (!context.unitExists)
        throw new NotFound('unit_not_found', `unit ${unitId} does not exist`);
      const name = requireText(command.data.name, 'name');
      const focus = command.data.focus?.trim()
        ? requireFreeText(command.data.focus, 'focus', 'focus')
        : null;
      requireNotInFuture(foundedAt, 'foundedAt', context.now, context.futureToleranceMinutes);
      requireNonNegativeInteger(foundingMembers, 'foundingMembers');
      return [
        { type: 'ClubFormed', data: { clubId, unitId, name, focus, foundedAt, foundingMembers } },
      ];
    }
    default: {
      const unknown: never = command.type;
      return unknown;
    }
  }
}

export const clubDecider: Decider<ClubCommand, ClubEvent, ClubState, ClubContext> = {
  decide: decideClub,
  evolve: evolveClub,
  initialState: initialClubState,
};
