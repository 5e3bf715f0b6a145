import type { Actor } from '#platform';

/**
 * The facts of the acceptance drive, as plain data: the test sends them over HTTP and the model
 * (campaign-model.ts) derives the expected figures from the very same data, never from the app.
 * Times are local wall-clock times in Asia/Ho_Chi_Minh (+07:00, no daylight saving).
 */
export const operator: Actor = { sub: 'op-acc', role: 'operator' };

export const units = {
  district: { id: 'acc-d1', name: 'Huyện đoàn Châu Thành', kind: 'district' },
  ward1: { id: 'acc-w1', name: 'Đoàn phường Bến Thành', kind: 'ward', parentId: 'acc-d1' },
  ward2: { id: 'acc-w2', name: 'Đoàn phường Tân Định', kind: 'ward', parentId: 'acc-d1' },
  // A branch under ward 1, so that roll-ups have a real subtree to sum.
  branch1: { id: 'acc-b1', name: 'Chi đoàn khu phố 1', kind: 'branch', parentId: 'acc-w1' },
} as const;

export const coordinator: Actor = { sub: 'coord-w1', role: 'coordinator', unitId: units.ward1.id };

export type Member = { id: string; unitId: string; displayName: string };
const member = (n: number, unitId: string, displayName: string): Member => ({
  id: `acc-m${String(n).padStart(2, '0')}`,
  unitId,
  displayName,
});
export const members: Member[] = [
  member(1, units.ward1.id, 'Nguyễn Văn An'),
  member(2, units.ward1.id, 'Trần Thị Bình'),
  member(3, units.ward1.id, 'Lê Văn Cường'),
  member(4, units.branch1.id, 'Phạm Thị Dung'),
  member(5, units.branch1.id, 'Hoàng Văn Em'),
  member(6, units.ward2.id, 'Vũ Thị Giang'),
  member(7, units.ward2.id, 'Đặng Văn Hà'),
  member(8, units.ward2.id, 'Bùi Thị Khánh'),
  member(9, units.ward2.id, 'Đỗ Văn Lâm'),
  member(10, units.ward2.id, 'Hồ Thị Minh'),
  member(11, units.ward2.id, 'Ngô Văn Nam'),
  member(12, units.ward2.id, 'Dương Thị Oanh'),
];
export const memberById = (id: string): Member => members.find((m) => m.id === id)!;
export const volunteer = (memberId: string): Actor => ({
  sub: memberId,
  role: 'volunteer',
  unitId: memberById(memberId).unitId,
});

export const campaign = {
  id: 'acc-c1',
  unitId: units.district.id,
  name: 'Đổi thẻ đảng viên 9–15/8/2025',
  startDate: '2025-08-09',
  endDate: '2025-08-15',
  dailyWindow: { from: '07:00', to: '22:00' },
  timezone: 'Asia/Ho_Chi_Minh',
  goals: { citizensAssisted: 500, volunteerTurns: 20, verifiedHours: 60 },
};

/** A local Asia/Ho_Chi_Minh time "2025-08-09 07:30" as an ISO instant with its offset. */
export const local = (text: string): string => `${text.replace(' ', 'T')}:00+07:00`;

export type Assist = { id: string; serviceType: string; citizens: number; at: string };
export type ShiftFact = {
  id: string;
  memberId: string;
  inCampaign: boolean;
  startedAt: string;
  endedAt?: string;
  recordedBy: Actor;
  assists: Assist[];
  verdict?: { kind: 'verify' | 'reject'; by: Actor; reason?: string };
  /** Sent after the verdict: it moves the figures and sends the shift back to pending. */
  correction?: { startedAt: string; endedAt: string; reason: string; by: Actor };
};

let assistCount = 0;
const a = (serviceType: string, citizens: number, at: string): Assist => ({
  id: `acc-a${++assistCount}`,
  serviceType,
  citizens,
  at: local(at),
});
const verify = (by: Actor) => ({ kind: 'verify' as const, by });
type ShiftInput = Omit<ShiftFact, 'inCampaign' | 'startedAt' | 'endedAt' | 'recordedBy'> &
  Partial<Pick<ShiftFact, 'inCampaign' | 'recordedBy'>> & { from: string; to?: string };
const shift = ({ from, to, ...rest }: ShiftInput): ShiftFact => ({
  inCampaign: true,
  recordedBy: volunteer(rest.memberId),
  ...rest,
  startedAt: local(from),
  ...(to ? { endedAt: local(to) } : {}),
});

/**
 * In the order they are sent. Each member's shifts go in time order (see the last test for a shift
 * typed in before an earlier one); member 2's come after everyone else's, up to 15 August: their
 * 10 August shift is recorded late and must still count on its own day.
 */
export const shifts: ShiftFact[] = [
  shift({
    id: 'acc-s01',
    memberId: 'acc-m01',
    from: '2025-08-09 07:30',
    to: '2025-08-09 11:30',
    assists: [
      a('party_card_replacement', 40, '2025-08-09 08:00'),
      a('eid_activation', 10, '2025-08-09 10:00'),
    ],
    verdict: verify(coordinator),
  }),
  // Starts before the window opens: no turn, counted apart, but its hours from 07:00 count.
  shift({
    id: 'acc-s02',
    memberId: 'acc-m01',
    from: '2025-08-12 06:00',
    to: '2025-08-12 09:00',
    assists: [
      a('party_card_replacement', 5, '2025-08-12 06:30'),
      a('party_card_replacement', 20, '2025-08-12 08:00'),
    ],
    verdict: verify(coordinator),
  }),
  // Crosses the window's end: a turn, one hour counted, assistance after 22:00 apart.
  shift({
    id: 'acc-s07',
    memberId: 'acc-m03',
    from: '2025-08-09 21:00',
    to: '2025-08-09 23:30',
    assists: [
      a('party_card_replacement', 6, '2025-08-09 21:30'),
      a('party_card_replacement', 4, '2025-08-09 22:30'),
    ],
    verdict: verify(coordinator),
  }),
  shift({
    id: 'acc-s08',
    memberId: 'acc-m03',
    from: '2025-08-11 09:00',
    to: '2025-08-11 13:00',
    assists: [a('chip_id_card', 25, '2025-08-11 10:00')],
    verdict: verify(coordinator),
  }),
  // The day before the campaign: everything out of window, though verified.
  shift({
    id: 'acc-s10',
    memberId: 'acc-m04',
    from: '2025-08-08 08:00',
    to: '2025-08-08 12:00',
    recordedBy: coordinator,
    assists: [a('party_card_replacement', 9, '2025-08-08 09:00')],
    verdict: verify(coordinator),
  }),
  // Recorded by the coordinator for the member; assistance exactly at 07:00 is inside [07:00, 22:00).
  shift({
    id: 'acc-s09',
    memberId: 'acc-m04',
    from: '2025-08-10 07:00',
    to: '2025-08-10 12:00',
    recordedBy: coordinator,
    assists: [a('party_card_replacement', 30, '2025-08-10 07:00')],
    verdict: verify(coordinator),
  }),
  // Ends exactly when the window closes.
  shift({
    id: 'acc-s11',
    memberId: 'acc-m05',
    from: '2025-08-12 14:00',
    to: '2025-08-12 22:00',
    assists: [
      a('public_service_account', 18, '2025-08-12 15:00'),
      a('online_public_service', 7, '2025-08-12 20:00'),
    ],
    verdict: verify(coordinator),
  }),
  // Not a campaign shift: only the unit figures see it.
  shift({
    id: 'acc-s12',
    memberId: 'acc-m05',
    inCampaign: false,
    from: '2025-08-16 08:00',
    to: '2025-08-16 10:00',
    assists: [a('household_review', 5, '2025-08-16 09:00')],
    verdict: verify(coordinator),
  }),
  shift({
    id: 'acc-s13',
    memberId: 'acc-m06',
    from: '2025-08-09 10:00',
    to: '2025-08-09 14:00',
    assists: [a('party_card_replacement', 50, '2025-08-09 11:00')],
    verdict: verify(operator),
  }),
  shift({
    id: 'acc-s14',
    memberId: 'acc-m06',
    from: '2025-08-12 06:30',
    to: '2025-08-12 08:00',
    assists: [
      a('eid_activation', 3, '2025-08-12 06:45'),
      a('eid_activation', 4, '2025-08-12 07:30'),
    ],
  }),
  shift({
    id: 'acc-s15',
    memberId: 'acc-m07',
    from: '2025-08-10 13:00',
    to: '2025-08-10 19:00',
    assists: [
      a('party_card_replacement', 60, '2025-08-10 14:00'),
      a('e_payment', 5, '2025-08-10 18:00'),
    ],
    verdict: verify(operator),
  }),
  shift({
    id: 'acc-s16',
    memberId: 'acc-m08',
    from: '2025-08-11 07:00',
    to: '2025-08-11 11:00',
    assists: [a('party_card_replacement', 25, '2025-08-11 08:00')],
  }),
  shift({
    id: 'acc-s17',
    memberId: 'acc-m08',
    from: '2025-08-15 20:00',
    to: '2025-08-15 23:00',
    assists: [
      a('party_card_replacement', 10, '2025-08-15 21:00'),
      a('party_card_replacement', 2, '2025-08-15 22:15'),
    ],
    verdict: verify(operator),
  }),
  shift({
    id: 'acc-s18',
    memberId: 'acc-m09',
    from: '2025-08-14 08:00',
    to: '2025-08-14 16:00',
    assists: [
      a('party_card_replacement', 45, '2025-08-14 09:00'),
      a('eid_activation', 20, '2025-08-14 13:00'),
    ],
    verdict: verify(operator),
  }),
  // Entirely after the window closes.
  shift({
    id: 'acc-s19',
    memberId: 'acc-m10',
    from: '2025-08-14 22:30',
    to: '2025-08-14 23:30',
    assists: [a('other', 2, '2025-08-14 23:00')],
  }),
  shift({
    id: 'acc-s20',
    memberId: 'acc-m10',
    from: '2025-08-15 07:00',
    to: '2025-08-15 10:00',
    assists: [a('digital_signature', 9, '2025-08-15 08:00')],
  }),
  shift({
    id: 'acc-s21',
    memberId: 'acc-m11',
    inCampaign: false,
    from: '2025-08-20 09:00',
    to: '2025-08-20 11:00',
    assists: [a('other', 3, '2025-08-20 10:00')],
    verdict: verify(operator),
  }),
  // Recorded late, after every other member's later days.
  shift({
    id: 'acc-s03',
    memberId: 'acc-m02',
    from: '2025-08-10 08:00',
    to: '2025-08-10 12:00',
    assists: [a('eid_activation', 15, '2025-08-10 09:00')],
    verdict: verify(coordinator),
  }),
  shift({
    id: 'acc-s05',
    memberId: 'acc-m02',
    from: '2025-08-11 15:00',
    to: '2025-08-11 18:00',
    assists: [a('other', 3, '2025-08-11 16:00')],
    verdict: { kind: 'reject', by: coordinator, reason: 'no sign-in sheet for this shift' },
  }),
  // Verified, then corrected by its volunteer (13:00–17:00 → 12:30–18:30): back to pending.
  shift({
    id: 'acc-s04',
    memberId: 'acc-m02',
    from: '2025-08-12 13:00',
    to: '2025-08-12 17:00',
    assists: [a('digital_signature', 12, '2025-08-12 14:00')],
    verdict: verify(coordinator),
    correction: {
      startedAt: local('2025-08-12 12:30'),
      endedAt: local('2025-08-12 18:30'),
      reason: 'centre stayed open until 18:30 for the queue',
      by: volunteer('acc-m02'),
    },
  }),
  // Still open: a turn, its assistance counts, no hours yet.
  shift({
    id: 'acc-s06',
    memberId: 'acc-m02',
    from: '2025-08-15 19:00',
    assists: [a('party_card_replacement', 8, '2025-08-15 19:30')],
  }),
];

export const club = {
  id: 'acc-k1',
  unitId: units.branch1.id,
  name: 'CLB Chuyển đổi số khu phố 1',
  foundedAt: local('2025-08-01 19:00'),
};
export const post = {
  id: 'acc-p1',
  unitId: units.ward2.id,
  channel: 'fanpage',
  title: 'Một ngày đổi thẻ đảng viên',
  tags: ['good-news'],
  publishedAt: local('2025-08-10 20:00'),
};
