import type { Fixture } from './projection-fixture.js';

/** Builders for a campaign's facts, in the field's terms; instants carry the +07:00 offset of Vietnam. */
export function scenario(f: Fixture) {
  return {
    unit: (unitId: string, parentId: string | null = null, kind = 'ward') =>
      f.append(`unit-${unitId}`, 'UnitRegistered', {
        unitId,
        name: `Đoàn ${unitId}`,
        kind,
        parentId,
      }),
    member: (memberId: string, unitId: string, displayName = `Member ${memberId}`) =>
      f.append(`member-${memberId}`, 'MemberEnrolled', { memberId, unitId, displayName }),
    erase: (memberId: string) => f.append(`member-${memberId}`, 'MemberDataErased', { memberId }),
    campaign: (campaignId: string, unitId: string, extra: Record<string, unknown> = {}) =>
      f.append(`campaign-${campaignId}`, 'CampaignLaunched', {
        campaignId,
        unitId,
        name: `Đổi thẻ đảng viên ${campaignId}`,
        timezone: 'Asia/Ho_Chi_Minh',
        startDate: '2025-08-09',
        endDate: '2025-08-15',
        dailyWindow: { from: '07:00', to: '22:00' },
        goals: { citizensAssisted: 100, volunteerTurns: 10, verifiedHours: 20 },
        serviceTypes: null,
        ...extra,
      }),
    extend: (campaignId: string, endDate: string) =>
      f.append(`campaign-${campaignId}`, 'CampaignExtended', { campaignId, endDate }),
    start: (
      shiftId: string,
      memberId: string,
      startedAt: string,
      campaignId: string | null = 'c1',
      recordedAt?: string,
    ) =>
      f.append(
        `shift-${shiftId}`,
        'ShiftStarted',
        { shiftId, memberId, campaignId, location: 'Trung tâm phục vụ hành chính công', startedAt },
        { occurredAt: startedAt, recordedAt },
      ),
    assist: (
      shiftId: string,
      memberId: string,
      occurredAt: string,
      citizens = 1,
      serviceType = 'party_card_replacement',
      campaignId: string | null = 'c1',
      recordedAt?: string,
    ) =>
      f.append(
        `shift-${shiftId}`,
        'CitizenAssisted',
        {
          assistanceId: `${shiftId}-${occurredAt}-${serviceType}`,
          shiftId,
          memberId,
          campaignId,
          serviceType,
          citizens,
          occurredAt,
          citizenRef: null,
        },
        { occurredAt, recordedAt },
      ),
    end: (shiftId: string, endedAt: string, recordedAt?: string) =>
      f.append(
        `shift-${shiftId}`,
        'ShiftEnded',
        { shiftId, endedAt },
        { occurredAt: endedAt, recordedAt },
      ),
    correct: (
      shiftId: string,
      change: { startedAt?: string; endedAt?: string },
      reason = 'wrong end time',
    ) =>
      f.append(`shift-${shiftId}`, 'ShiftCorrected', {
        shiftId,
        startedAt: change.startedAt ?? null,
        endedAt: change.endedAt ?? null,
        reason,
      }),
    verify: (shiftId: string, verifiedBy = 'coordinator-1') =>
      f.append(
        `shift-${shiftId}`,
        'ShiftVerified',
        { shiftId, verifiedBy },
        { recordedBy: verifiedBy },
      ),
    reject: (shiftId: string, reason = 'not on duty') =>
      f.append(`shift-${shiftId}`, 'ShiftRejected', {
        shiftId,
        rejectedBy: 'coordinator-1',
        reason,
      }),
    club: (clubId: string, unitId: string) =>
      f.append(`club-${clubId}`, 'ClubFormed', {
        clubId,
        unitId,
        name: `CLB CĐS ${clubId}`,
        focus: null,
        foundedAt: '2025-03-26T08:00:00+07:00',
        foundingMembers: 12,
      }),
    post: (
      postId: string,
      unitId: string,
      publishedAt: string,
      tags: string[] = ['good-news'],
      channel = 'fanpage',
    ) =>
      f.append(`post-${postId}`, 'PostPublished', {
        postId,
        unitId,
        channel,
        title: `Tin ${postId}`,
        url: null,
        tags,
        publishedAt,
        authorMemberId: null,
      }),
  };
}
