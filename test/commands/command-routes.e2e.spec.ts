import request from 'supertest';
import {
  hoursAgo,
  operator,
  PROBLEM,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from './commands-kit.js';

describe('every command route records its event', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  beforeAll(async () => {
    kit = await startCommandsKit('cmd_routes');
    ids = await seedTree(kit, 'r');
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('registers a unit and answers id, stream, version and position as numbers', async () => {
    const res = await kit.post('/units', operator, {
      id: 'r-school',
      name: 'Đoàn trường',
      kind: 'school',
      parentId: ids.ward,
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: 'r-school',
      streamId: 'unit-r-school',
      version: 0,
      position: expect.any(Number),
    });
    const [event] = await kit.store.readStream('unit-r-school');
    expect(event).toMatchObject({
      type: 'UnitRegistered',
      data: { unitId: 'r-school', parentId: ids.ward, kind: 'school' },
    });
    expect(event!.metadata).toMatchObject({ recordedBy: 'op-1', commandId: 'r-school' });
  });

  it('runs a shift through start, assistance, end, correction and verification', async () => {
    const shift = await kit.post('/shifts', operator, {
      id: 'r-s1',
      memberId: ids.member,
      location: 'TTHCC',
      startedAt: hoursAgo(5),
    });
    expect(shift.status).toBe(201);
    expect(shift.body).toMatchObject({ id: 'r-s1', streamId: 'shift-r-s1', version: 0 });
    const help = await kit.post('/shifts/r-s1/assistance', operator, {
      id: 'r-a1',
      serviceType: 'eid_activation',
      citizens: 3,
      occurredAt: hoursAgo(4),
    });
    expect(help.status).toBe(201);
    expect(help.body).toMatchObject({ id: 'r-a1', streamId: 'shift-r-s1', version: 1 });
    expect(
      (await kit.post('/shifts/r-s1/end', operator, { endedAt: hoursAgo(2) })).body,
    ).toMatchObject({ version: 2 });
    const fix = await kit.post('/shifts/r-s1/corrections', operator, {
      endedAt: hoursAgo(1),
      reason: 'left later',
    });
    expect(fix.body).toMatchObject({ version: 3 });
    expect((await kit.post('/shifts/r-s1/verify', operator, {})).body).toMatchObject({
      version: 4,
    });
    const types = (await kit.store.readStream('shift-r-s1')).map((e) => e.type);
    expect(types).toEqual([
      'ShiftStarted',
      'CitizenAssisted',
      'ShiftEnded',
      'ShiftCorrected',
      'ShiftVerified',
    ]);
  });

  it('rejects a shift with a reason', async () => {
    await kit.post('/shifts', operator, {
      id: 'r-s2',
      memberId: ids.other,
      location: 'TTHCC',
      startedAt: hoursAgo(30),
    });
    await kit.post('/shifts/r-s2/end', operator, { endedAt: hoursAgo(28) });
    const res = await kit.post('/shifts/r-s2/reject', operator, {
      reason: 'not seen at the centre',
    });
    expect(res.status).toBe(201);
    const last = (await kit.store.readStream('shift-r-s2')).at(-1);
    expect(last).toMatchObject({
      type: 'ShiftRejected',
      data: { rejectedBy: 'op-1', reason: 'not seen at the centre' },
    });
  });

  it('launches, extends and closes a campaign', async () => {
    const launch = await kit.post('/campaigns', operator, {
      id: 'r-c1',
      unitId: ids.ward,
      name: 'Đổi thẻ đảng viên',
      startDate: '2025-08-09',
      endDate: '2025-08-15',
      dailyWindow: { from: '07:00', to: '22:00' },
      goals: { citizensAssisted: 7000, volunteerTurns: 150 },
      serviceTypes: ['party_card_replacement'],
    });
    expect(launch.status).toBe(201);
    expect(
      (await kit.post('/campaigns/r-c1/extend', operator, { endDate: '2025-08-17' })).status,
    ).toBe(201);
    expect((await kit.post('/campaigns/r-c1/close', operator)).status).toBe(201);
    const events = await kit.store.readStream('campaign-r-c1');
    expect(events.map((e) => e.type)).toEqual([
      'CampaignLaunched',
      'CampaignExtended',
      'CampaignClosed',
    ]);
    expect(events[0]!.data).toMatchObject({
      timezone: 'Asia/Ho_Chi_Minh',
      dailyWindow: { from: '07:00', to: '22:00' },
    });
  });

  it('forms a club and publishes a post', async () => {
    const club = await kit.post('/clubs', operator, {
      id: 'r-club',
      unitId: ids.ward,
      name: 'CLB CĐS',
      foundedAt: hoursAgo(100),
    });
    expect(club.body).toEqual({
      id: 'r-club',
      streamId: 'club-r-club',
      version: 0,
      position: expect.any(Number),
    });
    const post = await kit.post('/posts', operator, {
      id: 'r-post',
      unitId: ids.ward,
      channel: 'facebook',
      title: 'Một tin tốt',
      tags: ['good-news'],
      publishedAt: hoursAgo(3),
      authorMemberId: ids.member,
    });
    expect(post.status).toBe(201);
    expect((await kit.store.readStream('post-r-post'))[0]!.metadata.occurredAt).toBeDefined();
  });

  it("erases a member's personal data", async () => {
    const res = await kit.send('delete', `/members/${ids.other}/personal-data`, operator);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: ids.other, streamId: `member-${ids.other}`, version: 1 });
  });

  it.each([
    ['/shifts/nope/end', { endedAt: hoursAgo(1) }],
    ['/shifts/nope/assistance', { serviceType: 'other', occurredAt: hoursAgo(1) }],
    ['/shifts/nope/verify', {}],
    ['/campaigns/nope/close', {}],
  ])('answers 404 for an unknown aggregate: %s', async (path, body) => {
    const res = await kit.post(path, operator, body);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(PROBLEM);
  });

  it('answers 404 for an unknown member or parent unit named in a body', async () => {
    expect((await kit.send('delete', '/members/nope/personal-data', operator)).status).toBe(404);
    expect(
      (await kit.post('/members', operator, { unitId: 'nope', displayName: 'X' })).status,
    ).toBe(404);
    expect(
      (await kit.post('/units', operator, { name: 'X', kind: 'branch', parentId: 'nope' })).status,
    ).toBe(404);
    expect(
      (
        await kit.post('/shifts', operator, {
          memberId: 'nope',
          location: 'x',
          startedAt: hoursAgo(1),
        })
      ).status,
    ).toBe(404);
  });

  it('documents every command route in /docs with its body, its 201 answer and its errors', async () => {
    const res = await request(kit.server).get('/docs-json');
    expect(res.status).toBe(200);
    const routes: [string, string][] = [
      ['/units', 'post'],
      ['/members', 'post'],
      ['/members/{id}/personal-data', 'delete'],
      ['/campaigns', 'post'],
      ['/campaigns/{id}/extend', 'post'],
      ['/campaigns/{id}/close', 'post'],
      ['/shifts', 'post'],
      ['/shifts/{id}/assistance', 'post'],
      ['/shifts/{id}/end', 'post'],
      ['/shifts/{id}/corrections', 'post'],
      ['/shifts/{id}/verify', 'post'],
      ['/shifts/{id}/reject', 'post'],
      ['/clubs', 'post'],
      ['/posts', 'post'],
    ];
    for (const [path, method] of routes) {
      const operation = res.body.paths[path]?.[method];
      expect({ path, documented: operation !== undefined }).toEqual({ path, documented: true });
      for (const status of ['201', '400', '401', '403', '404', '409', '413', '422']) {
        expect({ path, status, has: status in operation.responses }).toEqual({
          path,
          status,
          has: true,
        });
      }
      if (method === 'post') expect(operation.requestBody).toBeDefined();
    }
    expect(res.body.components.schemas.StartShiftRequest.required).toEqual(
      expect.arrayContaining(['memberId', 'location', 'startedAt']),
    );
  });
});
