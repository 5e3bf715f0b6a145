import request from 'supertest';
import type { Actor } from '#platform';
import {
  operator,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from '../commands/commands-kit.js';

const viewer: Actor = { sub: 'view-1', role: 'viewer' };

describe('GET /members, the members list', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  let position = 0;
  const get = async (path: string, actor: Actor) =>
    request(kit.server)
      .get(path)
      .set('Authorization', await kit.bearer(actor));
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

  it('refuses a bad limit with a problem naming the field', async () => {
    const res = await get('/members?limit=0', operator);

    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'limit' })]);
  });
});
