import { Injectable } from '@nestjs/common';
import { DirectoryService } from './directory.service.js';

/**
 * The platform's unit tree (`UNIT_TREE`), answered from the write-side directory after catching up,
 * so that a unit registered a moment ago is already inside its parent's subtree.
 */
@Injectable()
export class DirectoryUnitTree {
  constructor(private readonly directory: DirectoryService) {}

  async isWithin(unitId: string, rootUnitId: string): Promise<boolean> {
    if (unitId === rootUnitId) return true;
    await this.directory.catchUp();
    return this.directory.isWithin(unitId, rootUnitId);
  }
}
