export type EnrollMember = Readonly<{
  type: 'EnrollMember';
  data: Readonly<{ memberId: string; unitId: string; displayName: string }>;
}>;
/** Crypto-shredding: the handler destroys the member's key; the event records that it happened. */
export type EraseMemberData = Readonly<{
  type: 'EraseMemberData';
  data: Readonly<{ memberId: string }>;
}>;

/** Records a skill; a skill the member already has changes nothing (the first record stands). */
export type AttainSkill = Readonly<{
  type: 'AttainSkill';
  data: Readonly<{ memberId: string; skill: string; attainedAt: string }>;
}>;

export type MemberCommand = EnrollMember | EraseMemberData | AttainSkill;
