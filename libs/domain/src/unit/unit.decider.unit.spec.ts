import { Conflict, DomainRuleViolation, NotFound } from '../common/errors.js';
import { deciderSpec } from '../testing/decider-spec.js';
import { coordinator } from '../testing/fixtures.js';
import type { RegisterUnit } from './unit.commands.js';
import { maxUnitLevels, unitDecider } from './unit.decider.js';
import type { UnitRegistered } from './unit.events.js';

const unit = deciderSpec(unitDecider, { ...coordinator, parentExists: true, parentLevel: 3 });
const register = (data: Partial<RegisterUnit['data']> = {}): RegisterUnit => ({
  type: 'RegisterUnit',
  data: { unitId: 'ward-3', name: 'Đoàn phường 3', kind: 'ward', parentId: 'district-1', ...data },
});
const registered: UnitRegistered = {
  type: 'UnitRegistered',
  data: { unitId: 'ward-3', name: 'Đoàn phường 3', kind: 'ward', parentId: 'district-1' },
};

describe('registering a unit', () => {
  it('records UnitRegistered under an existing parent, with the name trimmed', () => {
    unit
      .given([])
      .when(register({ name: '  Đoàn phường 3 ' }))
      .then([registered]);
  });

  it('registers a root unit without looking for a parent', () => {
    unit
      .given([])
      .when(register({ parentId: null, kind: 'province' }), { parentExists: false })
      .then([
        { type: 'UnitRegistered', data: { ...registered.data, parentId: null, kind: 'province' } },
      ]);
  });

  it('refuses an unknown parent (404) and a unit that would be its own parent', () => {
    unit.given([]).when(register(), { parentExists: false }).thenThrows(NotFound, 'unit_not_found');
    unit
      .given([])
      .when(register({ parentId: 'ward-3' }))
      .thenThrows(DomainRuleViolation, 'unit_parent_is_itself');
  });

  it('refuses a blank name and an unknown kind', () => {
    unit
      .given([])
      .when(register({ name: '' }))
      .thenThrows(DomainRuleViolation, 'name_required');
    unit
      .given([])
      .when(register({ kind: 'galaxy' as never }))
      .thenThrows(DomainRuleViolation, 'unit_kind_invalid');
  });

  it('registers a unit at the deepest level and refuses one below it (422 unit_too_deep)', () => {
    unit
      .given([])
      .when(register(), { parentLevel: maxUnitLevels - 1 })
      .then([registered]);
    unit
      .given([])
      .when(register(), { parentLevel: maxUnitLevels })
      .thenThrows(DomainRuleViolation, 'unit_too_deep');
  });

  it('refuses an id already registered', () => {
    unit.given([registered]).when(register()).thenThrows(Conflict, 'unit_already_registered');
  });
});
