import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import {
  evolveShift,
  initialShiftState,
  memberNotFound,
  type CommandContext,
  type MemberState,
  type ShiftContext,
  type ShiftEvent,
  type ShiftState,
} from '#domain';
import { APP_CONFIG, Authorizer, type Actor, type AppConfig } from '#platform';
import { DirectoryService } from '../directory/directory.service.js';
import { AggregateLookups } from '../shared/lookups.js';
import type { Fold, StreamHeads } from '../shared/stream-states.js';

/** How a shift's stream folds (O(1) per event: see ShiftState). */
export const shiftFold: Fold<ShiftState, ShiftEvent> = {
  evolve: evolveShift,
  initialState: initialShiftState,
};

/**
 * What shift decisions know beyond the shift's own stream: who may act for its member, its campaign
 * as of now, and, where the overlap rule is at stake, the member's other shifts read in the
 * transaction that holds the member's guard.
 */
@Injectable()
export class ShiftFacts {
  constructor(
    private readonly lookups: AggregateLookups,
    private readonly directory: DirectoryService,
    private readonly authorizer: Authorizer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Recording for a member: the volunteer themselves, or anyone who may act within their subtree. */
  async authorizeRecording(actor: Actor, memberId: string): Promise<void> {
    const member = await this.knownMember(memberId);
    await this.authorizer.assertCanActForMember(actor, member, 'shifts');
  }

  /** Judging a member's shift: who may act on their unit (never their own shift: the decider's rule). */
  async authorizeJudging(actor: Actor, memberId: string): Promise<void> {
    const member = await this.knownMember(memberId);
    await this.authorizer.assertCanActOnUnit(actor, member.unitId);
  }

  private async knownMember(memberId: string): Promise<NonNullable<MemberState>> {
    const member = await this.lookups.memberForAccess(memberId);
    if (!member) throw memberNotFound(memberId);
    return member;
  }

  /**
   * The context of a decision on the shift of `memberId` in `campaignId`. `guarded`: the transaction
   * holding the member's guard, through which the member's shifts are read (the directory was caught
   * up with what other writers appended when the guard was taken, see Steps.guard); without it the
   * rule needs none. `heads`: the decision's (Reading.heads), so that a campaign known at its head is
   * not read again.
   */
  async context(
    base: CommandContext,
    memberId: string,
    campaignId: string | null,
    { guarded, heads }: { guarded?: Pick<pg.ClientBase, 'query'>; heads?: StreamHeads } = {},
  ): Promise<ShiftContext> {
    const campaign = campaignId ? await this.lookups.campaign(campaignId, heads) : null;
    let memberShifts: ShiftContext['memberShifts'] = [];
    if (guarded) memberShifts = await this.directory.memberShifts(memberId, guarded);
    return { ...base, memberShifts, campaign, maxShiftHours: this.config.maxShiftHours };
  }
}
