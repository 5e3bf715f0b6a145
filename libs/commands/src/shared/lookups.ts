import { Injectable } from '@nestjs/common';
import {
  campaignDecider,
  campaignStreamId,
  memberDecider,
  memberStreamId,
  type CampaignEvent,
  type CampaignState,
  type MemberEvent,
  type MemberState,
} from '#domain';
import { StreamStates, type StreamHeads } from './stream-states.js';

/**
 * Single aggregates a decision refers to (the member of a shift, its campaign), folded from their own
 * streams through this process's cache of folded states: reading a stream is immediately consistent,
 * so a member enrolled a moment ago is found.
 */
@Injectable()
export class AggregateLookups {
  constructor(private readonly states: StreamStates) {}

  /**
   * The member, for authorization: which member and unit never change once enrolled, so a cached
   * state answers without a read.
   */
  async memberForAccess(memberId: string): Promise<MemberState> {
    return (
      await this.states.load<MemberState, MemberEvent>(memberStreamId(memberId), memberDecider)
    ).state;
  }

  /**
   * The member as of now (erased or not), the cached state plus the stream's tail; no read when
   * `heads` (the decision's, see Steps.reads) shows the cached state is at the stream's head.
   */
  async member(memberId: string, heads?: StreamHeads): Promise<MemberState> {
    return (
      await this.states.current<MemberState, MemberEvent>(
        memberStreamId(memberId),
        memberDecider,
        heads,
      )
    ).state;
  }

  /** The campaign as of now (extended, closed), as `member` reads the member. */
  async campaign(campaignId: string, heads?: StreamHeads): Promise<CampaignState> {
    return (
      await this.states.current<CampaignState, CampaignEvent>(
        campaignStreamId(campaignId),
        campaignDecider,
        heads,
      )
    ).state;
  }
}
