import fc from 'fast-check';
import { knownSkills, programmeKinds, serviceTypes, unitKinds } from '#domain';
import {
  dayFromNow,
  field,
  instantNear,
  oddDates,
  oddIds,
  oddInstants,
  oddNumbers,
  oddTexts,
  oddTimes,
  zones,
} from './generated-values.js';

/**
 * One generated command of API.md: its route, and a body whose fields are valid values, boundary
 * ones or stray ones (generated-values.ts). `needs` is what must exist before it is sent (a fresh
 * shift for `/shifts/:id/end`…), made by the suite through the API as setup; `$ref` markers name it.
 */
export type GeneratedCommand = Readonly<{
  method: 'post' | 'delete';
  path: string;
  needs: 'none' | 'member' | 'open-shift' | 'ended-shift' | 'campaign' | 'programme';
  body: unknown;
}>;

const ref = ($ref: string) => fc.constant({ $ref });
const text = (sample: string) => field(fc.constant(sample), oddTexts);
const optionalText = (sample: string) => field(fc.constant(sample), oddTexts, true);
const id = (kind: string) => field(ref(`fresh-${kind}`), oddIds, true);
const count = (max: number) => fc.integer({ min: 0, max });
const instant = (hoursBack: number, optional = false) =>
  field(instantNear(hoursBack), oddInstants, optional);

const command = (
  method: GeneratedCommand['method'],
  path: string,
  needs: GeneratedCommand['needs'],
  body: fc.Arbitrary<unknown>,
): fc.Arbitrary<GeneratedCommand> => body.map((b) => ({ method, path, needs, body: b }));

const campaignBody = fc.record({
  id: id('campaign'),
  unitId: field(ref('ward'), oddIds),
  name: text('Đổi thẻ đảng viên'),
  startDate: field(dayFromNow(fc.integer({ min: -40, max: 0 })), oddDates),
  endDate: field(dayFromNow(fc.integer({ min: 0, max: 30 })), oddDates),
  dailyWindow: field(
    fc.record({
      from: field(fc.constantFrom('00:00', '07:00', '23:59'), oddTimes),
      to: field(fc.constantFrom('24:00', '22:00', '00:01'), oddTimes),
    }),
    [[], ['07:00', '22:00'], '07:00-22:00', { from: '07:00', to: '07:00' }],
  ),
  timezone: field(fc.constantFrom(...zones), [7, ''], true),
  goals: field(
    fc.record({
      citizensAssisted: field(fc.integer({ min: 1, max: 1e9 }), oddNumbers, true),
      volunteerTurns: field(fc.integer({ min: 1, max: 1e9 }), oddNumbers, true),
      verifiedHours: field(fc.integer({ min: 1, max: 1e9 }), oddNumbers, true),
    }),
    [[], [{ citizensAssisted: 1 }]],
    true,
  ),
  serviceTypes: field(
    fc.subarray([...serviceTypes], { minLength: 1 }),
    [[], ['other', 'other'], ['teleportation'], 'other'],
    true,
  ),
});

export const generatedCommand: fc.Arbitrary<GeneratedCommand> = fc.oneof(
  command(
    'post',
    '/units',
    'none',
    fc.record({
      id: id('unit'),
      name: text('Chi đoàn 3'),
      kind: field(fc.constantFrom(...unitKinds), ['city', '']),
      parentId: field(ref('ward'), oddIds, true),
    }),
  ),
  command(
    'post',
    '/members',
    'none',
    fc.record({
      id: id('member'),
      unitId: field(ref('ward'), oddIds),
      displayName: text('Nguyễn Văn An'),
    }),
  ),
  command('post', '/campaigns', 'none', campaignBody),
  command(
    'post',
    '/campaigns/{campaign}/extend',
    'campaign',
    fc.record({ endDate: field(dayFromNow(fc.integer({ min: 31, max: 300 })), oddDates) }),
  ),
  command('post', '/campaigns/{campaign}/close', 'campaign', fc.constant({})),
  command(
    'post',
    '/shifts',
    'member',
    fc.record({
      id: id('shift'),
      memberId: field(ref('member'), oddIds),
      campaignId: field(ref('campaign-of-shifts'), oddIds, true),
      location: text('Công an phường'),
      startedAt: instant(3),
    }),
  ),
  command(
    'post',
    '/shifts/{shift}/assistance',
    'open-shift',
    fc.record({
      id: id('assistance'),
      serviceType: field(fc.constantFrom(...serviceTypes), ['magic', 'OTHER']),
      citizens: field(fc.integer({ min: 1, max: 10_000 }), oddNumbers, true),
      occurredAt: instant(2),
      citizenRef: optionalText('CCCD-079201000001'),
    }),
  ),
  command('post', '/shifts/{shift}/end', 'open-shift', fc.record({ endedAt: instant(1) })),
  command(
    'post',
    '/shifts/{shift}/corrections',
    'ended-shift',
    fc.record({
      startedAt: instant(3.5, true),
      endedAt: instant(0.5, true),
      reason: text('giờ ghi sai'),
    }),
  ),
  command('post', '/shifts/{shift}/verify', 'ended-shift', fc.constant({})),
  command('post', '/shifts/{shift}/reject', 'ended-shift', fc.record({ reason: text('trùng ca') })),
  command(
    'post',
    '/clubs',
    'none',
    fc.record({
      id: id('club'),
      unitId: field(ref('ward'), oddIds),
      name: text('CLB Chuyển đổi số'),
      focus: optionalText('chữ ký số'),
      foundedAt: instant(5),
      foundingMembers: field(count(100_000), oddNumbers, true),
    }),
  ),
  command(
    'post',
    '/posts',
    'none',
    fc.record({
      id: id('post'),
      unitId: field(ref('ward'), oddIds),
      channel: text('facebook'),
      title: text('Tin tốt'),
      url: field(
        fc.constant('https://doanthanhnien.vn/tin'),
        ['ftp://x', 'javascript:x', 'x'],
        true,
      ),
      tags: field(fc.constant(['good-news']), [[], [''], ['a', 'a'], Array(21).fill('t')], true),
      publishedAt: instant(2),
      authorMemberId: field(ref('member'), oddIds, true),
    }),
  ),
  command(
    'post',
    '/programmes',
    'none',
    fc.record({
      id: id('programme'),
      unitId: field(ref('ward'), oddIds),
      kind: field(fc.constantFrom(...programmeKinds), ['other']),
      title: text('Tập huấn VNeID'),
      topic: optionalText('định danh điện tử'),
      startsAt: instant(6),
      endsAt: instant(4, true),
      partners: field(fc.constant(['Công an phường']), [[], Array(21).fill('p'), 'p'], true),
      attendees: field(
        fc.record({ members: count(1_000_000), citizens: count(1_000_000) }),
        [[{ members: 1 }], { members: -1 }, { citizens: 0.5 }],
        true,
      ),
    }),
  ),
  command(
    'post',
    '/programmes/{programme}/attendance',
    'programme',
    fc.record({
      members: field(count(1_000_000), oddNumbers, true),
      citizens: field(count(1_000_000), oddNumbers, true),
      recordedAt: instant(1),
    }),
  ),
  command(
    'post',
    '/members/{member}/skills',
    'member',
    fc.record({
      skill: field(fc.constantFrom(...knownSkills, 'x_1', 'a'.repeat(64)), [
        'a'.repeat(65),
        'A',
        '1a',
        'constructor',
      ]),
      attainedAt: instant(24),
    }),
  ),
  command(
    'delete',
    '/citizens/personal-data',
    'none',
    fc.record({ citizenRef: text('CCCD-079201000001') }),
  ),
  command('delete', '/members/{member}/personal-data', 'member', fc.constant({})),
);
