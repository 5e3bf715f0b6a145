import type { Actor } from '#platform';
import {
  hoursAgo,
  operator,
  PROBLEM,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from './commands-kit.js';

/**
 * A post's `authorMemberId` names a member, so the coordinator who publishes it must be one who may
 * act for that member (API.md "Who may do what": inside their unit's subtree). A post of their own
 * unit that credits a member of another district would write about a member they have no say over,
 * and its 201 or 404 would tell them whether any id is a member anywhere.
 */
describe('POST /posts: the author is a member of the token subtree', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  let coordinator: Actor;
  const post = (id: string, authorMemberId: string) => ({
    id,
    unitId: ids.ward,
    channel: 'facebook',
    title: 'Đoàn viên hỗ trợ người dân kích hoạt VNeID',
    publishedAt: hoursAgo(1),
    authorMemberId,
  });

  beforeAll(async () => {
    kit = await startCommandsKit('cmd_post_author');
    ids = await seedTree(kit, 'pa');
    await kit.record('/units', {
      id: 'pa-ward2',
      name: 'Đoàn phường 2',
      kind: 'ward',
      parentId: ids.province,
    });
    await kit.record('/members', {
      id: 'pa-outsider',
      unitId: 'pa-ward2',
      displayName: 'Người Ngoài',
    });
    coordinator = { sub: 'pa-coord', role: 'coordinator', unitId: ids.ward };
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('given a member of another ward, when a coordinator credits them with a post of their own ward, then 403 and nothing is recorded', async () => {
    const before = await kit.totalEvents();

    const res = await kit.post('/posts', coordinator, post('pa-p1', 'pa-outsider'));

    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.code).toBe('outside_subtree');
    expect(await kit.totalEvents()).toBe(before);
  });

  it('given a member of the subtree, when the coordinator credits them, then the post is recorded', async () => {
    const res = await kit.post('/posts', coordinator, post('pa-p2', ids.member));

    expect(res.status).toBe(201);
  });

  it('given a member of the subtree whose personal data is erased, when the coordinator credits them, then 422 member_erased and nothing is recorded', async () => {
    await kit.record('/members', { id: 'pa-gone', unitId: ids.branch, displayName: 'Đã Xoá' });
    await kit.record('/members/pa-gone/personal-data', undefined, 'delete');
    const before = await kit.totalEvents();

    const res = await kit.post('/posts', coordinator, post('pa-p4', 'pa-gone'));

    expect(res.status).toBe(422);
    expect(res.body.code).toBe('member_erased');
    expect(await kit.totalEvents()).toBe(before);
  });

  it('given a member of another ward, when an operator credits them, then the post is recorded', async () => {
    const res = await kit.post('/posts', operator, post('pa-p3', 'pa-outsider'));

    expect(res.status).toBe(201);
  });
});
