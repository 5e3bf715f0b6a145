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
    /** The parent's level in the tree (a root unit is level 1); ignored for a root unit. */
    parentLevel: number;
  }>;

/**
 * The deepest a unit may lie, root at level 1. The union's tree is central, province, district,
 * commune or ward, grassroots, branch (six levels); sixteen leave room for schools, agencies and
 * groups inside branches. Every consumer keeps a unit's ancestors with it (the directory's and read
 * models' paths, the roll-ups' closure rows, one per ancestor), so a tree's size grows with depth ×
 * units: a chain of 2,000 units, which nothing refused, made an 800 MB closure table and held the
 * volunteer-activity projection (every dashboard's figures) for minutes at each new unit.
 */
export const maxUnitLevels = 16;

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
        if (context.parentLevel >= maxUnitLevels) {
          throw new DomainRuleViolation(
            'unit_too_deep',
            `a unit lies at most ${maxUnitLevels} levels deep; parent unit ${parentId} is at level ${context.parentLevel}`,
          );
        }
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
