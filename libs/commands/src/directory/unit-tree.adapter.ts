import { Injectable } from '@nestjs/common';
import { DirectoryService } from './directory.service.js';

/**
 * The platform's unit tree (`UNIT_TREE`), answered from the write-side directory (which catches up
 * when it does not know the unit yet), so that a unit registered a moment ago is already inside its parent's subtree.
 */
@Injectable()
export class DirectoryUnitTree {
  constructor(private readonly directory: DirectoryService) {}

  async isWithin(unitId: string, rootUnitId: string): Promise<boolean> {
    return unitId === rootUnitId || this.directory.isWithin(unitId, rootUnitId);
  }
}
