import fc from 'fast-check';
import type { Fixture } from './projection-fixture.js';

// Values as they may lie in the log: what every older gate let in, and wider. An instant is any
// 4-digit year with any two-digit offset; a date any 4-digit year; a zone valid or not; a count up to
// what JSON carries exactly. (Text cannot be wider: jsonb itself refuses NUL and lone surrogates.)
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const daysIn = (year: number, month: number) => {
  const date = new Date(0);
  date.setUTCFullYear(year, month, 0);
  return date.getUTCDate();
};
const storedDate = fc
  .record({ year: fc.integer({ min: 0, max: 9999 }), month: fc.integer({ min: 1, max: 12 }) })
  .chain(({ year, month }) =>
    fc
      .integer({ min: 1, max: daysIn(year, month) })
      .map((day) => `${pad(year, 4)}-${pad(month)}-${pad(day)}`),
  );
const storedOffset = fc.oneof(
  fc.constant('Z'),
  fc
    .tuple(
      fc.constantFrom('+', '-'),
      fc.integer({ min: 0, max: 23 }),
      fc.integer({ min: 0, max: 59 }),
    )
    .chain(([sign, h, m]) =>
      fc.constantFrom(`${sign}${pad(h)}:${pad(m)}`, `${sign}${pad(h)}${pad(m)}`),
    ),
);
const storedInstant = fc
  .tuple(
    storedDate,
    fc.integer({ min: 0, max: 23 }),
    fc.integer({ min: 0, max: 59 }),
    fc.integer({ min: 0, max: 59 }),
    storedOffset,
  )
  .map(([date, h, m, s, offset]) => `${date}T${pad(h)}:${pad(m)}:${pad(s)}${offset}`);
const storedTime = fc.oneof(
  fc.constant('24:00'),
  fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
    .map(([h, m]) => `${pad(h)}:${pad(m)}`),
);
const storedZone = fc.constantFrom(
  'Asia/Ho_Chi_Minh',
  'Pacific/Kiritimati',
  'Etc/GMT+12',
  'America/St_Johns',
  'UTC',
  'Mars/Olympus',
  '+07:00',
);
const storedCount = fc.oneof(
  fc.integer({ min: 1, max: 10 }),
  fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
);
const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 });

export const history = fc.record({
  campaign: fc.record({
    startDate: storedDate,
    endDate: storedDate,
    extendedTo: storedDate,
    timezone: storedZone,
    from: storedTime,
    to: storedTime,
    name: text,
    goal: storedCount,
  }),
  shift: fc.record({
    startedAt: storedInstant,
    endedAt: storedInstant,
    correctedStart: fc.option(storedInstant, { nil: null }),
    correctedEnd: fc.option(storedInstant, { nil: null }),
    judged: fc.constantFrom('ShiftVerified', 'ShiftRejected', null),
    assistance: fc.array(fc.record({ at: storedInstant, citizens: storedCount }), {
      maxLength: 3,
    }),
  }),
  post: fc.record({ publishedAt: storedInstant, title: text, tag: text }),
  club: fc.record({ foundedAt: storedInstant, name: text }),
  programme: fc.record({
    startsAt: storedInstant,
    title: text,
    members: storedCount,
    citizens: storedCount,
    recount: storedCount,
    recordedAt: storedInstant,
  }),
  skill: fc.record({ code: text, attainedAt: storedInstant }),
});
export type History = typeof history extends fc.Arbitrary<infer T> ? T : never;

/**
 * Appends one generated history, with ids of its own: the unit, member, campaign, shift, post, club.
 * Answers the campaign and the position of the last event the directory folds (the shift's last).
 */
export async function appendHistory(
  f: Fixture,
  run: number,
  h: History,
): Promise<{ campaign: string; directoryPosition: bigint }> {
  const [unit, member, campaign, shift] = ['u', 'm', 'c', 's'].map((p) => `${p}${run}`);
  await f.append(`unit-${unit}`, 'UnitRegistered', {
    unitId: unit,
    name: 'x',
    kind: 'ward',
    parentId: null,
  });
  await f.append(`member-${member}`, 'MemberEnrolled', {
    memberId: member,
    unitId: unit,
    displayName: 'x',
  });
  const c = h.campaign;
  await f.append(`campaign-${campaign}`, 'CampaignLaunched', {
    campaignId: campaign,
    unitId: unit,
    name: c.name,
    timezone: c.timezone,
    startDate: c.startDate,
    endDate: c.endDate,
    dailyWindow: { from: c.from, to: c.to },
    goals: { citizensAssisted: c.goal, volunteerTurns: c.goal, verifiedHours: c.goal },
    serviceTypes: null,
  });
  await f.append(`campaign-${campaign}`, 'CampaignExtended', {
    campaignId: campaign,
    endDate: c.extendedTo,
  });
  const s = h.shift;
  const ids = { shiftId: shift, memberId: member, campaignId: campaign };
  await f.append(`shift-${shift}`, 'ShiftStarted', {
    ...ids,
    location: 'x',
    startedAt: s.startedAt,
  });
  for (const [i, a] of s.assistance.entries()) {
    await f.append(`shift-${shift}`, 'CitizenAssisted', {
      ...ids,
      assistanceId: `${shift}-a${i}`,
      serviceType: 'eid_activation',
      citizens: a.citizens,
      occurredAt: a.at,
      citizenRef: null,
    });
  }
  let directoryPosition = await f.append(`shift-${shift}`, 'ShiftEnded', {
    shiftId: shift,
    endedAt: s.endedAt,
  });
  if (s.correctedStart !== null || s.correctedEnd !== null) {
    directoryPosition = await f.append(`shift-${shift}`, 'ShiftCorrected', {
      shiftId: shift,
      startedAt: s.correctedStart,
      endedAt: s.correctedEnd,
      reason: 'r',
    });
  }
  if (s.judged) {
    const data = { shiftId: shift, verifiedBy: 'c', rejectedBy: 'c', reason: 'r' };
    directoryPosition = await f.append(`shift-${shift}`, s.judged, data);
  }
  await f.append(`post-p${run}`, 'PostPublished', {
    postId: `p${run}`,
    unitId: unit,
    channel: 'fanpage',
    title: h.post.title,
    url: null,
    tags: [h.post.tag, 'good-news'],
    publishedAt: h.post.publishedAt,
    authorMemberId: null,
  });
  await f.append(`club-k${run}`, 'ClubFormed', {
    clubId: `k${run}`,
    unitId: unit,
    name: h.club.name,
    focus: null,
    foundedAt: h.club.foundedAt,
    foundingMembers: 1,
  });
  const p = h.programme;
  await f.append(`programme-g${run}`, 'ProgrammeHeld', {
    programmeId: `g${run}`,
    unitId: unit,
    kind: 'awareness',
    title: p.title,
    topic: null,
    startsAt: p.startsAt,
    endsAt: null,
    partners: [],
    attendees: { members: p.members, citizens: p.citizens },
  });
  await f.append(`programme-g${run}`, 'ProgrammeAttendanceRecorded', {
    programmeId: `g${run}`,
    members: p.recount,
    citizens: p.citizens,
    recordedAt: p.recordedAt,
  });
  await f.append(`member-${member}`, 'MemberSkillAttained', {
    memberId: member,
    skill: h.skill.code,
    attainedAt: h.skill.attainedAt,
  });
  return { campaign, directoryPosition };
}
