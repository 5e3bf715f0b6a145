import { Inject, Injectable } from '@nestjs/common';
import {
  campaignDecider,
  campaignStreamId,
  foldEvents,
  memberDecider,
  memberStreamId,
  type CampaignEvent,
  type CampaignState,
  type MemberEvent,
  type MemberState,
} from '#domain';
import type { EventStore } from '#event-store';
import { EVENT_STORE } from '#platform';
import { readCurrentStream } from './current-events.js';

/**
 * Single aggregates a decision refers to (the member of a shift, its campaign), folded from their own
 * streams: reading a stream is immediately consistent, so a member enrolled a moment ago is found.
 */
@Injectable()
export class AggregateLookups {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async member(memberId: string): Promise<MemberState> {
    const events = await readCurrentStream(this.store, memberStreamId(memberId));
    return foldEvents(
      memberDecider,
      events.map((e) => ({ type: e.type, data: e.data }) as MemberEvent),
    );
  }

  async campaign(campaignId: string): Promise<CampaignState> {
    const events = await readCurrentStream(this.store, campaignStreamId(campaignId));
    return foldEvents(
      campaignDecider,
      events.map((e) => ({ type: e.type, data: e.data }) as CampaignEvent),
    );
  }
}
