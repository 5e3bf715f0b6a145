import type { Decider } from '../common/decider.js';
import { Conflict, DomainRuleViolation, NotFound } from '../common/errors.js';
import type { CommandContext } from '../common/event.js';
import { requireText } from '../common/rules.js';
import type { UnitCommand } from './unit.commands.js';
import { unitKinds, type UnitEvent, type UnitKind } from './unit.events.js';

export type UnitState = Readonly<{
  unitId: string;
  name: string;
  kind: UnitKind;
  parentId: string | null;
}> | null;

export type UnitContext = CommandContext &
  Readonly<{
    /** Whether the command's `parentId` names a registered unit (ignored for a root unit). */
    parentExists: boolean;
  }>;

export const initialUnitState: UnitState = null;

export function evolveUnit(state: UnitState, event: UnitEvent): UnitState {
  switch (event.type) {
    case 'UnitRegistered':
      return { ...event.data };
    default: {
      const unknown: never = event.type;
      return unknown;
    }
  }
}

export function decideUnit(
  command: UnitCommand,
  state: UnitState,
  context: UnitContext,
): UnitEvent[] {
  switch (command.type) {
    case 'RegisterUnit': {
      const { unitId, kind, parentId } = command.data;
      if (state)
        throw new Conflict('unit_already_registered', `unit ${unitId} is already registered`);
      if (!unitKinds.includes(kind)) {
        throw new DomainRuleViolation(
          'unit_kind_invalid',
          `kind must be one of ${unitKinds.join(', ')}`,
        );
      }
      if (parentId !== null) {
        if (parentId === unitId) {
          throw new DomainRuleViolation('unit_parent_is_itself', 'a unit cannot be its own parent');
        }
        if (!context.parentExists)
          throw new NotFound('unit_not_found', `parent unit ${parentId} does not exist`);
      }
      return [
        {
          type: 'UnitRegistered',
          data: { unitId, name: requireText(command.data.name, 'name'), kind, parentId },
        },
      ];
    }
    default: {
      const unknown: never = command.type;
      return unknown;
    }
  }
}

export const unitDecider: Decider<UnitCommand, UnitEvent, UnitState, UnitContext> = {
  decide: decideUnit,
  evolve: evolveUnit,
  initialState: initialUnitState,
};
