import type { Event } from '../common/event.js';

/** `displayName` is personal data: it is stored encrypted under the member's own key. */
export type MemberEnrolled = Event<
  'MemberEnrolled',
  { memberId: string; unitId: string; displayName: string }
>;
/** The member's key is destroyed; the name can no longer be read anywhere (crypto-shredding). */
export type MemberDataErased = Event<'MemberDataErased', { memberId: string }>;

export type MemberEvent = MemberEnrolled | MemberDataErased;

export const memberStreamId = (memberId: string): string => `member-${memberId}`;
