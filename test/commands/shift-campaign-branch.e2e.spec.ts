import {
  aroundNow,
  hoursAgo,
  operator,
  PROBLEM,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from './commands-kit.js';

/**
 * Issue 9, defect 6 (last point): API.md "A shift's campaign is one launched by the member's unit or
 * one of its ancestors". A member could attach shifts to the campaign of a neighbouring ward.
 */
describe("a shift's campaign belongs to the member's branch of the tree", () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  const launch = (id: string, unitId: string) =>
    kit.post('/campaigns', operator, {
      id,
      unitId,
      name: 'Chuyển đổi số',
      ...aroundNow(),
      dailyWindow: { from: '00:00', to: '23:59' },
    });

  beforeAll(async () => {
    kit = await startCommandsKit('cmd_shift_branch');
    ids = await seedTree(kit, 'b'); // province → ward → branch, members in the branch
    await kit.post('/units', operator, {
      id: 'b-ward2',
      name: 'Đoàn phường 2',
      kind: 'ward',
      parentId: ids.province,
    });
    for (const [id, unitId] of [
      ['b-neighbour', 'b-ward2'],
      ['b-provincial', ids.province],
      ['b-own', ids.branch],
    ] as const)
      expect((await launch(id, unitId)).status).toBe(201);
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('refuses a campaign of a neighbouring ward with 422, recording nothing', async () => {
    const volunteer = { sub: ids.member, role: 'volunteer' as const, unitId: ids.branch };
    const res = await kit.post('/shifts', volunteer, {
      id: 'b-s1',
      memberId: ids.member,
      campaignId: 'b-neighbour',
      location: 'Trung tâm hành chính công',
      startedAt: hoursAgo(2),
    });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ code: 'campaign_outside_branch' });
    expect(await kit.streamLength('shift-b-s1')).toBe(0);
  });

  it("takes a campaign of the member's own unit or of an ancestor", async () => {
    const own = await kit.post('/shifts', operator, {
      id: 'b-s2',
      memberId: ids.member,
      campaignId: 'b-own',
      location: 'x',
      startedAt: hoursAgo(5),
    });
    expect(own.status).toBe(201);
    expect((await kit.post('/shifts/b-s2/end', operator, { endedAt: hoursAgo(4) })).status).toBe(
      201,
    );
    const provincial = await kit.post('/shifts', operator, {
      id: 'b-s3',
      memberId: ids.member,
      campaignId: 'b-provincial',
      location: 'x',
      startedAt: hoursAgo(3),
    });
    expect(provincial.status).toBe(201);
  });
});
