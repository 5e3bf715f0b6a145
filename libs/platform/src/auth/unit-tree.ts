/**
 * The unit hierarchy as the write side knows it, consistently (a unit registered a moment ago is
 * already in it). The command side implements it and provides it under UNIT_TREE.
 */
export interface UnitTree {
  /** True when `unitId` is `rootUnitId` or one of its descendants. */
  isWithin(unitId: string, rootUnitId: string): Promise<boolean>;
}

export const UNIT_TREE = Symbol('UNIT_TREE');
