import type { Actor } from '#platform';
import {
  hoursAgo,
  launchCampaign,
  operator,
  PROBLEM,
  seedTree,
  shiftStart,
  startCommandsKit,
  type CommandsKit,
} from './commands-kit.js';

/**
 * API.md: 403 outside the token's unit subtree. A creation whose id names something that exists in
 * another subtree was authorized on its body alone, which the caller fills with units of their own:
 * the answer came from the existing aggregate (409 "command id already used"), so a coordinator
 * learnt which unit, campaign, club, post, programme or shift ids another district holds (shift ids
 * are otherwise read only through /audit). As an enrolment already was, the existing aggregate is
 * authorized first: outside the subtree, 403, and its owner's resends answer as before.
 */
describe('a creation naming an id that exists outside the subtree', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  const outsider: Actor = { sub: 'co-coord2', role: 'coordinator', unitId: 'co-ward2' };
  const insider: Actor = { sub: 'co-coord1', role: 'coordinator', unitId: 'co-ward' };

  beforeAll(async () => {
    kit = await startCommandsKit('cmd_creation_outside');
    ids = await seedTree(kit, 'co');
    await kit.record('/units', {
      id: 'co-ward2',
      name: 'Phường 2',
      kind: 'ward',
      parentId: ids.province,
    });
    await kit.record('/members', { id: 'co-m9', unitId: 'co-ward2', displayName: 'Hồ Văn Chín' });
    // the first ward's own records, named below by the second ward
    await kit.record('/units', {
      id: 'co-b2',
      name: 'Chi đoàn 2',
      kind: 'branch',
      parentId: ids.ward,
    });
    await launchCampaign(kit, 'co-c1', ids.ward);
    await kit.record('/clubs', {
      id: 'co-club',
      unitId: ids.ward,
      name: 'CLB',
      foundedAt: hoursAgo(48),
    });
    await kit.record('/posts', {
      id: 'co-post',
      unitId: ids.ward,
      channel: 'facebook',
      title: 'Tin',
      publishedAt: hoursAgo(48),
    });
    await kit.record('/programmes', {
      id: 'co-prog',
      unitId: ids.ward,
      kind: 'training',
      title: 'Tập huấn',
      startsAt: hoursAgo(48),
    });
    await kit.record('/shifts', shiftStart('co-s1', ids.member, 30));
  });
  afterAll(async () => {
    await kit?.close();
  });

  const named: [string, string, () => object][] = [
    ['/units', 'co-b2', () => ({ name: 'x', kind: 'branch', parentId: 'co-ward2' })],
    [
      '/campaigns',
      'co-c1',
      () => ({
        unitId: 'co-ward2',
        name: 'x',
        startDate: '2025-08-09',
        endDate: '2025-08-10',
        dailyWindow: { from: '07:00', to: '22:00' },
      }),
    ],
    ['/clubs', 'co-club', () => ({ unitId: 'co-ward2', name: 'x', foundedAt: hoursAgo(1) })],
    [
      '/posts',
      'co-post',
      () => ({ unitId: 'co-ward2', channel: 'facebook', title: 'x', publishedAt: hoursAgo(1) }),
    ],
    [
      '/programmes',
      'co-prog',
      () => ({ unitId: 'co-ward2', kind: 'awareness', title: 'x', startsAt: hoursAgo(1) }),
    ],
    ['/shifts', 'co-s1', () => ({ memberId: 'co-m9', location: 'x', startedAt: hoursAgo(2) })],
  ];

  it.each(named)(
    'given the first ward’s record, when the second ward’s coordinator sends POST %s with its id %s and a body of its own, then 403 and nothing recorded',
    async (path, id, body) => {
      const before = await kit.totalEvents();

      const res = await kit.post(path, outsider, { id, ...body() });

      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body).toMatchObject({ status: 403, code: 'outside_subtree' });
      expect(await kit.totalEvents()).toBe(before);
    },
  );

  it('given a campaign the first ward launched, when its coordinator resends the launch, then its first result', async () => {
    const launch = {
      id: 'co-c2',
      unitId: ids.ward,
      name: 'Chiến dịch 2',
      startDate: '2025-08-09',
      endDate: '2025-08-10',
      dailyWindow: { from: '07:00', to: '22:00' },
    };
    const first = await kit.post('/campaigns', insider, launch);
    expect(first.status).toBe(201);

    const res = await kit.post('/campaigns', insider, launch);

    expect(res.status).toBe(201);
    expect(res.body).toEqual(first.body);
  });

  it('given a shift of the first ward, when an operator names its id with another body, then 409 as before', async () => {
    const res = await kit.post('/shifts', operator, shiftStart('co-s1', 'co-m9', 2));

    expect(res.status).toBe(409);
    expect(res.body.code).toBe('command_id_reused');
  });
});
