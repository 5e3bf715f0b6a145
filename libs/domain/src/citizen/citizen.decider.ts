import type { Decider } from '../common/decider.js';
import { Conflict } from '../common/errors.js';
import type { CommandContext } from '../common/event.js';
import type { CitizenCommand } from './citizen.commands.js';
import type { CitizenEvent } from './citizen.events.js';

/** A citizen exists in the log only through sealed references; the stream records an erasure. */
export type CitizenState = Readonly<{ erased: boolean }>;

export const initialCitizenState: CitizenState = { erased: false };

export function evolveCitizen(state: CitizenState, event: CitizenEvent): CitizenState {
  switch (event.type) {
    case 'CitizenDataErased':
      return { erased: true };
    default: {
      const unknown: never = event.type;
      return unknown;
    }
  }
}

/**
 * A citizen never seen is erased all the same: the operator cannot tell from a reference, and no key
 * may be made for it later. Erasing twice is a conflict, as for a member.
 */
export function decideCitizen(
  command: CitizenCommand,
  state: CitizenState,
  _context: CommandContext,
): CitizenEvent[] {
  switch (command.type) {
    case 'EraseCitizenData':
      if (state.erased)
        throw new Conflict(
          'citizen_already_erased',
          'the personal data of this citizen is already erased',
        );
      return [{ type: 'CitizenDataErased', data: { subjectId: command.data.subjectId } }];
    default: {
      const unknown: never = command.type;
      return unknown;
    }
  }
}

export const citizenDecider: Decider<CitizenCommand, CitizenEvent, CitizenState, CommandContext> = {
  decide: decideCitizen,
  evolve: evolveCitizen,
  initialState: initialCitizenState,
};
