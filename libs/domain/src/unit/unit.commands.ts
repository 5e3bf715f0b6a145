import type { UnitKind } from './unit.events.js';

export type RegisterUnit = Readonly<{
  type: 'RegisterUnit';
  data: Readonly<{ unitId: string; name: string; kind: UnitKind; parentId: string | null }>;
}>;

export type UnitCommand = RegisterUnit;
