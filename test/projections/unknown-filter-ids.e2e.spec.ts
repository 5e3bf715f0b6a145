import request from 'supertest';
import {
  launchCampaign,
  operator,
  PROBLEM,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from '../commands/commands-kit.js';

// Found by probing the API: a board or a list filtered by a unit or campaign that does not exist
// answered 200 with nothing in it, which a dashboard shows as "nobody did anything there". API.md:
// 404 for an unknown id, as /units/:id/summary already answers.
describe('reads filtered by an id that names nothing', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  let position: number;

  beforeAll(async () => {
    kit = await startCommandsKit('unknown_filter_ids', { worker: true });
    ids = await seedTree(kit, 'uf');
    position = (await launchCampaign(kit, 'uf-c1', ids.ward)).position;
  });
  afterAll(() => kit?.close());

  const get = async (path: string) =>
    request(kit.server)
      .get(`${path}${path.includes('?') ? '&' : '?'}minPosition=${position}`)
      .set('Authorization', await kit.bearer(operator));

  it.each([
    ['/members?unitId=uf-nope', 'unitId uf-nope', 'unit_not_found'],
    ['/leaderboards/members?unitId=uf-nope', 'unitId uf-nope', 'unit_not_found'],
    ['/leaderboards/members?campaignId=uf-nope', 'campaignId uf-nope', 'campaign_not_found'],
    ['/leaderboards/units?parentId=uf-nope', 'parentId uf-nope', 'unit_not_found'],
    // the dashboard's campaign picker (README, "Beyond API.md"): a list filtered by a unit like the others
    ['/campaigns?unitId=uf-nope', 'unitId uf-nope', 'unit_not_found'],
  ])('GET %s is a 404 naming the id', async (path, named, code) => {
    // given a tree and a campaign, projected
    // when a read is filtered by an id no unit or campaign has
    const res = await get(path);

    // then it is a 404 problem naming that id
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.code).toBe(code);
    expect(res.body.detail).toContain(named);
  });

  it.each([
    `/members?unitId=${'uf-ward'}`,
    `/leaderboards/members?unitId=uf-ward&campaignId=uf-c1`,
    `/leaderboards/units?parentId=uf-prov`,
    `/leaderboards/units`,
    `/campaigns?unitId=uf-ward`,
    `/campaigns?unitId=uf-prov`,
  ])('GET %s with ids that exist answers 200', async (path) => {
    expect((await get(path)).status).toBe(200);
  });
});
