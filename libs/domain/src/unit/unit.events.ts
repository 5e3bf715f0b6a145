import type { Event } from '../common/event.js';

export const unitKinds = [
  'province',
  'district',
  'ward',
  'commune',
  'grassroots',
  'branch',
  'school',
  'agency',
] as const;
export type UnitKind = (typeof unitKinds)[number];

export type UnitRegistered = Event<
  'UnitRegistered',
  { unitId: string; name: string; kind: UnitKind; parentId: string | null }
>;

export type UnitEvent = UnitRegistered;

export const unitStreamId = (unitId: string): string => `unit-${unitId}`;
