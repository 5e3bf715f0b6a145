import type { Event, Instant } from '../common/event.js';

export type ClubFormed = Event<
  'ClubFormed',
  {
    clubId: string;
    unitId: string;
    name: string;
    focus: string | null;
    foundedAt: Instant;
    foundingMembers: number;
  }
>;
export type ClubEvent = ClubFormed;

export const clubStreamId = (clubId: string): string => `club-${clubId}`;
