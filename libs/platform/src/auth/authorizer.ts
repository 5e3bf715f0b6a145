import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { forbidden } from '../errors/problem.js';
import type { Actor, Role } from './actor.js';
import { UNIT_TREE, type UnitTree } from './unit-tree.js';

/**
 * The subtree and ownership rules of API.md "Who may do what", for handlers to call. The unit tree
 * is looked up lazily because the command module, not the platform, provides it.
 */
@Injectable()
export class Authorizer {
  private tree?: UnitTree;

  constructor(private readonly moduleRef: ModuleRef) {}

  private unitTree(): UnitTree {
    this.tree ??= this.moduleRef.get<UnitTree>(UNIT_TREE, { strict: false });
    if (!this.tree) throw new Error('no UnitTree is provided under UNIT_TREE');
    return this.tree;
  }

  assertRole(actor: Actor, ...roles: Role[]): void {
    if (!roles.includes(actor.role)) {
      throw forbidden(
        `The role "${actor.role}" may not do this; it needs one of: ${roles.join(', ')}.`,
        'role_not_allowed',
      );
    }
  }

  /** A token without unitId covers the whole tree; otherwise `unitId` must lie in its subtree. */
  async isInScope(actor: Actor, unitId: string): Promise<boolean> {
    if (actor.role === 'operator' || !actor.unitId) return true;
    return actor.unitId === unitId || this.unitTree().isWithin(unitId, actor.unitId);
  }

  /**
   * `named`: the request named this unit (a body's `unitId` or `parentId`, a query's), so the refusal
   * names it back. Otherwise the unit was read from what the request targets (a member's, a shift's,
   * a campaign's): the refusal does not say which unit that is, since the member list keeps members
   * outside the subtree from this token, and a 403 naming their unit told a coordinator where any
   * member id they tried belongs (and a volunteer, whose shift an id was).
   */
  async assertCanActOnUnit(actor: Actor, unitId: string, named = false): Promise<void> {
    if (!(await this.isInScope(actor, unitId))) {
      const what = named ? `Unit "${unitId}"` : 'What this request acts on';
      throw forbidden(
        `${what} is outside the subtree of unit "${actor.unitId}" that this token may act on.`,
        'outside_subtree',
      );
    }
  }

  /**
   * Acting for a member (their shifts and assistance, their skills): operators anywhere; coordinators
   * for members of their subtree; volunteers only for themselves (`sub` is their memberId); readers
   * never. `records` names what the route records, for the volunteer's refusal to say which rule.
   */
  async assertCanActForMember(
    actor: Actor,
    member: { memberId: string; unitId: string },
    records: 'shifts' | 'skills',
  ): Promise<void> {
    switch (actor.role) {
      case 'operator':
        return;
      case 'coordinator':
        return this.assertCanActOnUnit(actor, member.unitId);
      case 'volunteer':
        if (actor.sub !== member.memberId) {
          // not naming the member: for an action on a shift, that is whose shift the id was
          throw forbidden(
            `A volunteer records only their own ${records}; this token is for member "${actor.sub}".`,
            'not_own_record',
          );
        }
        return this.assertCanActOnUnit(actor, member.unitId);
      default:
        throw forbidden(
          `The role "${actor.role}" only reads; it cannot record facts.`,
          'role_not_allowed',
        );
    }
  }
}
