import { DateTime } from 'luxon';
import type { Actor } from '#platform';
import {
  type CommandsKit,
  hoursAgo,
  operator,
  seedTree,
  startCommandsKit,
  viewer,
} from '../commands/commands-kit.js';

describe('GET /members, the members list, and the optional ids of lists', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  let position = 0;
  const get = (path: string, actor: Actor) => kit.send('get', path, actor);
  const command = async (method: 'post' | 'delete', path: string, body?: object) => {
    position = Math.max(position, (await kit.record(path, body, method)).position);
  };

  beforeAll(async () => {
    // given a ward with two branches: five members in the first, one in the second
    kit = await startCommandsKit('member_list', { worker: true });
    ids = await seedTree(kit, 'ml');
    await command('post', '/units', {
      id: 'ml-branch2',
      name: 'Chi đoàn 2',
      kind: 'branch',
      parentId: ids.ward,
    });
    for (const n of [3, 4, 5])
      await command('post', '/members', {
        id: `ml-m${n}`,
        unitId: ids.branch,
        displayName: `Đoàn viên ${n}`,
      });
    await command('post', '/members', {
      id: 'ml-z9',
      unitId: 'ml-branch2',
      displayName: 'Phạm Văn Xa',
    });
    await command('delete', '/members/ml-m4/personal-data');
    // and a campaign of the ward in which the first member helped 3 citizens
    const today = DateTime.now().setZone('Asia/Ho_Chi_Minh');
    await command('post', '/campaigns', {
      id: 'ml-c1',
      unitId: ids.ward,
      name: 'Đổi thẻ đảng viên',
      startDate: today.minus({ days: 1 }).toISODate(),
      endDate: today.plus({ days: 1 }).toISODate(),
      dailyWindow: { from: '00:00', to: '24:00' },
    });
    await command('post', '/shifts', {
      id: 'ml-s1',
      memberId: ids.member,
      campaignId: 'ml-c1',
      location: 'TTHCC',
      startedAt: hoursAgo(2),
    });
    await command('post', '/shifts/ml-s1/assistance', {
      serviceType: 'other',
      citizens: 3,
      occurredAt: hoursAgo(1),
    });
  }, 120_000);
  afterAll(async () => {
    await kit?.close();
  });

  it('pages through a subtree in id order, with unit names, erased members shown as erased', async () => {
    const first = await get(
      `/members?unitId=${ids.branch}&limit=3&minPosition=${position}`,
      operator,
    );
    expect(first.status).toBe(200);
    expect(first.body.members).toEqual([
      {
        memberId: 'ml-m1',
        displayName: 'Nguyễn Văn An',
        unitId: ids.branch,
        unitName: 'Chi đoàn 1',
      },
      {
        memberId: 'ml-m2',
        displayName: 'Trần Thị Bình',
        unitId: ids.branch,
        unitName: 'Chi đoàn 1',
      },
      { memberId: 'ml-m3', displayName: 'Đoàn viên 3', unitId: ids.branch, unitName: 'Chi đoàn 1' },
    ]);
    expect(first.body.next).toBe('ml-m3');

    const second = await get(`/members?unitId=${ids.branch}&limit=3&after=ml-m3`, operator);
    expect(second.body.members.map((m: { displayName: string }) => m.displayName)).toEqual([
      '(erased)',
      'Đoàn viên 5',
    ]);
    expect(second.body.next).toBeUndefined();

    const ward = await get(`/members?unitId=${ids.ward}&limit=50`, viewer);
    expect(ward.body.members).toHaveLength(6);
  });

  it("keeps a coordinator inside the token's subtree, and defaults to it", async () => {
    const coordinator: Actor = { sub: 'c-1', role: 'coordinator', unitId: 'ml-branch2' };

    const own = await get('/members', coordinator);
    const outside = await get(`/members?unitId=${ids.branch}`, coordinator);

    expect(own.body.members.map((m: { memberId: string }) => m.memberId)).toEqual(['ml-z9']);
    expect(outside.status).toBe(403);
    expect(outside.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  // An empty field of a form arrives as `?unitId=`: left out, not an id that no unit can have.
  it.each([
    ['/members?unitId=&after=', '/members?'],
    ['/campaigns?unitId=', '/campaigns?'],
    [
      '/leaderboards/members?metric=citizensAssisted&campaignId=&unitId=',
      '/leaderboards/members?metric=citizensAssisted',
    ],
    [
      '/leaderboards/units?metric=citizensAssisted&parentId=',
      '/leaderboards/units?metric=citizensAssisted',
    ],
  ])('%s answers as %s does: an empty optional id is one left out', async (empty, absent) => {
    // when a list is asked for with the id empty, and without it
    const withEmpty = await get(`${empty}&minPosition=${position}`, operator);
    const without = await get(`${absent}&minPosition=${position}`, operator);

    // then both answer the same, and not nothing
    expect(withEmpty.status).toBe(200);
    expect(withEmpty.body).toEqual(without.body);
    expect(JSON.stringify(without.body)).toMatch(/ml-(m1|c1|prov)/);
  });

  it('refuses a bad limit with a problem naming the field', async () => {
    const res = await get('/members?limit=0', operator);

    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'limit' })]);
  });
});
