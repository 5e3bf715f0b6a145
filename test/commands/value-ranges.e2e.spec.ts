import request from 'supertest';
import {
  hoursAgo,
  operator,
  PROBLEM,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from './commands-kit.js';

// The gate of API.md "General": instants and dates in the years 2000–2099, offsets between −12:00
// and +14:00, free text valid Unicode, bodies of a sane depth. Each refusal is a 400 naming the field
// and leaves the log as it was; before, these were stored (and stopped consumers) or answered 500.
describe('values outside the domain ranges are refused with 400 naming the field', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  let before: number;
  beforeAll(async () => {
    kit = await startCommandsKit('value_ranges');
    ids = await seedTree(kit, 'vr');
  });
  afterAll(async () => {
    await kit?.close();
  });
  beforeEach(async () => {
    before = await kit.totalEvents();
  });

  const expectRefused = async (res: request.Response, field: string) => {
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(await kit.totalEvents()).toBe(before);
  };
  // The instant `hoursBack` hours ago written at `offset` (wall clock shifted to match): a real
  // moment, so that only the offset is wrong. ±16:00 is beyond what PostgreSQL stores (±15:59).
  const at = (hoursBack: number, offset: string) => {
    const sign = offset.startsWith('-') ? -1 : 1;
    const [h, m] = offset.slice(1).split(':').map(Number);
    const wall = Date.now() - hoursBack * 3_600_000 + sign * (h * 60 + m) * 60_000;
    return `${new Date(wall).toISOString().slice(0, 19)}${offset}`;
  };
  const campaign = (startDate: string, endDate: string) => ({
    unitId: ids.ward,
    name: 'Đổi thẻ đảng viên',
    startDate,
    endDate,
    dailyWindow: { from: '07:00', to: '22:00' },
  });

  it('a correction starting at +16:00 is refused, and the member records shifts afterwards', async () => {
    const shift = `${ids.member}-s1`;
    const started = await kit.post('/shifts', operator, {
      id: shift,
      memberId: ids.member,
      location: 'Trung tâm hành chính công',
      startedAt: hoursAgo(30),
    });
    expect(started.status).toBe(201);
    expect(
      (await kit.post(`/shifts/${shift}/end`, operator, { endedAt: hoursAgo(28) })).status,
    ).toBe(201);
    before = await kit.totalEvents();

    await expectRefused(
      await kit.post(`/shifts/${shift}/corrections`, operator, {
        startedAt: at(29, '+16:00'),
        reason: 'giờ bắt đầu ghi sai',
      }),
      'startedAt',
    );
    await expectRefused(
      await kit.post(`/shifts/${shift}/corrections`, operator, {
        startedAt: at(29, '-12:30'),
        reason: 'giờ bắt đầu ghi sai',
      }),
      'startedAt',
    );

    const next = `${ids.member}-s2`;
    const again = await kit.post('/shifts', operator, {
      id: next,
      memberId: ids.member,
      location: 'Trung tâm hành chính công',
      startedAt: hoursAgo(10),
    });
    expect(again.status).toBe(201);
    expect((await kit.post(`/shifts/${next}/end`, operator, { endedAt: hoursAgo(8) })).status).toBe(
      201,
    );
    const corrected = await kit.post(`/shifts/${shift}/corrections`, operator, {
      startedAt: at(29, '+07:00'),
      reason: 'giờ bắt đầu ghi sai',
    });
    expect(corrected.status).toBe(201);
  });

  it('a campaign in year 9999 or from year 0000 is refused', async () => {
    await expectRefused(
      await kit.post('/campaigns', operator, campaign('9999-12-01', '9999-12-31')),
      'startDate',
    );
    await expectRefused(
      await kit.post('/campaigns', operator, campaign('0000-01-01', '2025-08-15')),
      'startDate',
    );
    await expectRefused(
      await kit.post('/campaigns', operator, campaign('2025-08-09', '2100-01-01')),
      'endDate',
    );
  });

  it('an instant offset by +07 alone is refused by the request gate and the domain alike', async () => {
    await expectRefused(
      await kit.post('/shifts', operator, {
        memberId: ids.other,
        location: 'x',
        startedAt: `${hoursAgo(5).slice(0, 19)}+07`,
      }),
      'startedAt',
    );
  });

  it.each([
    ['/posts', 'publishedAt', { channel: 'facebook', title: 'Tin tốt' }],
    ['/clubs', 'foundedAt', { name: 'CLB Chuyển đổi số' }],
  ])('%s dated with an offset beyond ±15:59 is refused', async (path, field, rest) => {
    for (const offset of ['+16:00', '-16:00', '+99:00']) {
      await expectRefused(
        await kit.post(path, operator, { unitId: ids.ward, ...rest, [field]: at(2, offset) }),
        field,
      );
    }
  });

  it.each([
    ['/units', 'name', { kind: 'branch', parentId: 'vr-ward' }],
    ['/members', 'displayName', { unitId: 'vr-branch' }],
    ['/posts', 'title', { unitId: 'vr-ward', channel: 'fb', publishedAt: '2025-08-09T20:00:00Z' }],
    ['/posts', 'channel', { unitId: 'vr-ward', title: 't', publishedAt: '2025-08-09T20:00:00Z' }],
  ])('a lone surrogate in %s %s is refused', async (path, field, rest) => {
    for (const text of ['Nguy\uD800n', 'end\uDC00', '\uDBFF']) {
      await expectRefused(await kit.post(path, operator, { ...rest, [field]: text }), field);
    }
  });

  it('a lone surrogate in a correction or rejection reason is refused', async () => {
    const res = await kit.post(`/shifts/${ids.member}-s1/reject`, operator, {
      reason: 'không ai thấy \uD83D',
    });
    await expectRefused(res, 'reason');
  });

  // A blank text is an invalid body, answered at the gate like an empty one: not a domain refusal
  // (422 reason_required), nor, for an optional text, dropped in silence.
  it('a blank free text (a reason, a name, an optional focus or tag) is refused as an empty one', async () => {
    // given requests that each carry one text, empty or whitespace-only
    const carrying = (v: string): [string, string, object][] => [
      [`/shifts/${ids.member}-s1/reject`, 'reason', { reason: v }],
      [`/shifts/${ids.member}-s1/corrections`, 'reason', { reason: v }],
      ['/units', 'name', { name: v, kind: 'branch', parentId: ids.ward }],
      ['/shifts', 'location', { memberId: ids.other, location: v, startedAt: hoursAgo(1) }],
      ['/clubs', 'focus', { unitId: ids.ward, name: 'CLB', focus: v, foundedAt: hoursAgo(1) }],
      [
        '/posts',
        'tags',
        { unitId: ids.ward, channel: 'fb', title: 'x', tags: [v], publishedAt: hoursAgo(1) },
      ],
    ];
    const [empty, blank] = [carrying(''), carrying(' \t\n ')];
    for (const [i, [path, field]] of empty.entries()) {
      // when each is sent
      const answers = [
        await kit.post(path, operator, empty[i]![2]),
        await kit.post(path, operator, blank[i]![2]),
      ];
      // then both are a 400 naming the field, with the same errors, and nothing is recorded
      for (const res of answers) await expectRefused(res, field);
      expect(answers[1]!.body.errors).toEqual(answers[0]!.body.errors);
    }
  });

  it('a surrogate pair (an emoji) is valid Unicode and accepted', async () => {
    const res = await kit.post('/units', operator, {
      id: 'vr-emoji',
      name: 'Chi đoàn 🚀',
      kind: 'branch',
      parentId: ids.ward,
    });
    expect(res.status).toBe(201);
  });

  // ISO 8601 lets a comma start the fraction of a second; RFC 3339, what Date.parse and the hours
  // certificate's checkers read, does not. Stored, `07:30:00,5+07:00` left the certificate's hours
  // null and its offline check failing ("verifiedHours must be a number") for good.
  it('an instant whose fraction of a second follows a comma is refused on every command', async () => {
    // given a shift, and an instant of each command written with a decimal comma
    const shift = `${ids.member}-comma`;
    const start = hoursAgo(4);
    const comma = (iso: string) => iso.replace('.', ',');
    expect(
      (
        await kit.post('/shifts', operator, {
          id: shift,
          memberId: ids.other,
          location: 'Trung tâm hành chính công',
          startedAt: start,
        })
      ).status,
    ).toBe(201);
    before = await kit.totalEvents();
    const carrying: [string, string, object][] = [
      [
        '/shifts',
        'startedAt',
        { memberId: ids.member, location: 'x', startedAt: comma(hoursAgo(3)) },
      ],
      [
        `/shifts/${shift}/assistance`,
        'occurredAt',
        { serviceType: 'other', occurredAt: comma(hoursAgo(3)) },
      ],
      [`/shifts/${shift}/end`, 'endedAt', { endedAt: comma(hoursAgo(2)) }],
      [
        '/posts',
        'publishedAt',
        { unitId: ids.ward, channel: 'fb', title: 't', publishedAt: comma(hoursAgo(1)) },
      ],
      ['/clubs', 'foundedAt', { unitId: ids.ward, name: 'CLB', foundedAt: comma(hoursAgo(1)) }],
      [
        `/members/${ids.member}/skills`,
        'attainedAt',
        { skill: 'vneid_level2', attainedAt: comma(hoursAgo(1)) },
      ],
    ];
    for (const [path, field, body] of carrying) {
      // when it is sent
      const res = await kit.post(path, operator, body);
      // then it is a 400 naming the field and saying to write a full stop, and nothing is recorded
      await expectRefused(res, field);
      expect(res.body.errors).toEqual([
        expect.objectContaining({ field, message: expect.stringContaining('full stop') }),
      ]);
    }
  });

  it('a body nested 10,000 levels deep is refused before anything walks it', async () => {
    const depth = 10_000;
    const body = `{"name":${'['.repeat(depth)}${']'.repeat(depth)},"kind":"branch"}`;
    for (const path of ['/units', '/shifts', '/campaigns']) {
      const res = await request(kit.server)
        .post(path)
        .set('Authorization', await kit.bearer(operator))
        .set('Content-Type', 'application/json')
        .send(body);
      await expectRefused(res, '(body)');
      expect(res.body.detail).toMatch(/deeper than 32/);
    }
  });
});
