import type { Event, Instant } from '../common/event.js';

/** `displayName` is personal data: it is stored encrypted under the member's own key. */
export type MemberEnrolled = Event<
  'MemberEnrolled',
  { memberId: string; unitId: string; displayName: string }
>;
/** The member's key is destroyed; the name can no longer be read anywhere (crypto-shredding). */
export type MemberDataErased = Event<'MemberDataErased', { memberId: string }>;

/** A digital skill the member has (e.g. `vneid_level2`); attained once, the first record stands. */
export type MemberSkillAttained = Event<
  'MemberSkillAttained',
  { memberId: string; skill: string; attainedAt: Instant }
>;

export type MemberEvent = MemberEnrolled | MemberDataErased | MemberSkillAttained;

/** The skills the reports ask about; any other lower_snake_case code is accepted too. */
export const knownSkills = [
  'vneid_level2',
  'digital_signature',
  'public_service_account',
  'party_handbook_app',
] as const;

export const memberStreamId = (memberId: string): string => `member-${memberId}`;
