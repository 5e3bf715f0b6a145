import {
  hoursAgo,
  operator,
  PROBLEM,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from './commands-kit.js';

// API.md "General": free text is valid Unicode of bounded length. A name is what a dashboard row, the
// leaderboards and the audit CSVs show for it, so a value that shows nothing, or that reorders what is
// drawn after it (a bidirectional override turns "An 0 giờ" into another figure), or that sends a
// terminal a control sequence, is not free text: a 400 naming the field, nothing recorded.
describe('every free-text field refuses text that shows nothing or reorders what follows it', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  beforeAll(async () => {
    kit = await startCommandsKit('free_text_gate', { worker: true });
    ids = await seedTree(kit, 'ft');
  });
  afterAll(async () => {
    await kit?.close();
  });

  // Each free-text field of API.md's commands, with a body that is valid apart from it.
  const fields = (text: string): [string, string, string, object][] => [
    ['post', '/units', 'name', { name: text, kind: 'branch', parentId: ids.ward }],
    ['post', '/members', 'displayName', { unitId: ids.branch, displayName: text }],
    [
      'post',
      '/campaigns',
      'name',
      {
        unitId: ids.ward,
        name: text,
        startDate: '2026-01-01',
        endDate: '2026-01-31',
        dailyWindow: { from: '07:00', to: '22:00' },
      },
    ],
    ['post', '/clubs', 'name', { unitId: ids.ward, name: text, foundedAt: hoursAgo(1) }],
    [
      'post',
      '/clubs',
      'focus',
      { unitId: ids.ward, name: 'CLB', focus: text, foundedAt: hoursAgo(1) },
    ],
    [
      'post',
      '/programmes',
      'title',
      { unitId: ids.ward, kind: 'training', title: text, startsAt: hoursAgo(2) },
    ],
    [
      'post',
      '/programmes',
      'topic',
      { unitId: ids.ward, kind: 'training', title: 'Tập huấn', topic: text, startsAt: hoursAgo(2) },
    ],
    [
      'post',
      '/programmes',
      'partners',
      {
        unitId: ids.ward,
        kind: 'training',
        title: 'Tập huấn',
        partners: ['Công an phường', text],
        startsAt: hoursAgo(2),
      },
    ],
    [
      'post',
      '/shifts',
      'location',
      { memberId: ids.member, location: text, startedAt: hoursAgo(1) },
    ],
    ['post', '/shifts/ft-s/corrections', 'reason', { endedAt: hoursAgo(1), reason: text }],
    ['post', '/shifts/ft-s/reject', 'reason', { reason: text }],
    [
      'post',
      '/shifts/ft-s/assistance',
      'citizenRef',
      { serviceType: 'eid_activation', occurredAt: hoursAgo(1), citizenRef: text },
    ],
    ['delete', '/citizens/personal-data', 'citizenRef', { citizenRef: text }],
    [
      'post',
      '/posts',
      'channel',
      { unitId: ids.ward, channel: text, title: 'Tin', publishedAt: hoursAgo(1) },
    ],
    [
      'post',
      '/posts',
      'title',
      { unitId: ids.ward, channel: 'facebook', title: text, publishedAt: hoursAgo(1) },
    ],
    [
      'post',
      '/posts',
      'tags',
      {
        unitId: ids.ward,
        channel: 'fb',
        title: 'Tin',
        tags: ['vneid', text],
        publishedAt: hoursAgo(1),
      },
    ],
  ];

  const expectRefusedEverywhere = async (text: string, message: RegExp) => {
    for (const [method, path, field, body] of fields(text)) {
      const before = await kit.totalEvents();
      const res = await kit.send(method as 'post' | 'delete', path, operator, body);
      const where = `${method} ${path} ${field}`;
      expect({ where, status: res.status }).toEqual({ where, status: 400 });
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          // an element of a list is named by its index (partners.1) where the body's strings are
          // walked before the request's own rules
          expect.objectContaining({
            field: expect.stringMatching(new RegExp(`^${field}(\\.\\d+)?$`)),
            message: expect.stringMatching(message),
          }),
        ]),
      );
      expect(await kit.totalEvents()).toBe(before);
    }
  };

  it('a text of zero-width characters, word joiners, soft hyphens and variation selectors', async () => {
    // given texts that show nothing, sent as JSON escapes
    // when each is sent in every free-text field, then each is a 400 naming the field
    await expectRefusedEverywhere('\u200B\u200D\u2060', /visible character/);
    await expectRefusedEverywhere('\u00AD\uFE0F\u034F', /visible character/);
  });

  it('a name with a right-to-left override or an isolate', async () => {
    await expectRefusedEverywhere('Nguyễn Văn An\u202E 0 giờ', /bidirectional control U\+202E/);
    await expectRefusedEverywhere('\u2067An\u2069', /bidirectional control U\+2067/);
  });

  it('a text with a terminal escape or a C1 control', async () => {
    await expectRefusedEverywhere('An\u001B[2J', /control character U\+001B/);
    await expectRefusedEverywhere('An\u009B2J', /control character U\+009B/);
  });

  it('a letter under a stack of combining marks that paints over the rows around it', async () => {
    await expectRefusedEverywhere(`Z${'\u0336'.repeat(40)}`, /combining marks/);
  });

  it('a lone surrogate (a JSON \\ud800 escape), NUL, or 10,000 combining marks on one letter', async () => {
    await expectRefusedEverywhere('Nguy\uD800n', /lone surrogate/);
    await expectRefusedEverywhere('An\u0000', /NUL/);
    await expectRefusedEverywhere(`A${'\u0301'.repeat(10_000)}`, /characters long/);
  });

  it("a post's url that an override shows as another address", async () => {
    // given a link whose path an RLO shows as ".../exe.pdf", and one with a terminal escape
    for (const [url, message] of [
      ['https://example.org/tai-lieu/\u202Efdp.exe', /bidirectional control U\+202E/],
      ['https://example.org/\u001B[2J', /control character U\+001B/],
    ] as const) {
      const before = await kit.totalEvents();
      // when a post carries it
      const res = await kit.send('post', '/posts', operator, {
        unitId: ids.ward,
        channel: 'facebook',
        title: 'Tài liệu',
        url,
        publishedAt: hoursAgo(1),
      });
      // then it is a 400 naming the url, and nothing is recorded
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: 'url', message: expect.stringMatching(message) }),
        ]),
      );
      expect(await kit.totalEvents()).toBe(before);
    }
  });

  it('Vietnamese, precomposed or with combining marks, is recorded in one composed form', async () => {
    // given a member name typed precomposed (NFC) and one with combining marks (NFD)
    const name = 'Nguyễn Thị Ánh Tuyết';
    let position = 0;
    for (const [id, displayName] of [
      ['ft-nfc', name],
      ['ft-nfd', name.normalize('NFD')],
    ]) {
      // when each is enrolled, then it is recorded
      const res = await kit.send('post', '/members', operator, {
        id,
        unitId: ids.branch,
        displayName,
      });
      expect(res.status).toBe(201);
      position = res.body.position;
    }
    // and the members list shows both under the same, composed name
    const list = await kit.send(
      'get',
      `/members?unitId=${ids.branch}&minPosition=${position}`,
      operator,
    );
    const shown = list.body.members.filter((m: { memberId: string }) =>
      m.memberId.startsWith('ft-nf'),
    );
    expect(shown.map((m: { displayName: string }) => m.displayName)).toEqual([name, name]);
  });
});
