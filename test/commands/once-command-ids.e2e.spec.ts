import type { Actor } from '#platform';
import { launchCampaign, seedTree, startCommandsKit, type CommandsKit } from './commands-kit.js';

/**
 * A member's erasure, a campaign's closing and a member's skill happen once per target: sent without
 * a key, their command id is derived from the target, so a resend answers the first result. That id
 * used to be one any client could send as its own key ("erase-<member>"): a coordinator of one ward,
 * erasing or closing something of their own under the key naming another ward's member or campaign,
 * made that ward's keyless erasure (after destroying the member's key), closing or skill a 409 for
 * ever. A derived id now holds a character no client id may, and a command an earlier version
 * recorded under the old form still answers its resends.
 */
describe('a command id derived from its target cannot be taken by a client key', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  let squatter: Actor;
  let owner: Actor;

  beforeAll(async () => {
    kit = await startCommandsKit('cmd_once_ids');
    ids = await seedTree(kit, 'dk');
    await kit.record('/units', {
      id: 'dk-ward2',
      name: 'Phường 2',
      kind: 'ward',
      parentId: ids.province,
    });
    await kit.record('/members', { id: 'dk-m9', unitId: 'dk-ward2', displayName: 'Hồ Văn Chín' });
    await launchCampaign(kit, 'dk-c1', ids.ward);
    await launchCampaign(kit, 'dk-c9', 'dk-ward2');
    squatter = { sub: 'dk-coord1', role: 'coordinator', unitId: ids.ward };
    owner = { sub: 'dk-coord2', role: 'coordinator', unitId: 'dk-ward2' };
  });
  afterAll(async () => {
    await kit?.close();
  });

  it("given the first ward's erasure of its own member under the key 'erase-dk-m9', when the second ward erases dk-m9 without a key, then it is recorded", async () => {
    const squat = await kit.send(
      'delete',
      `/members/${ids.other}/personal-data`,
      squatter,
      undefined,
      {
        'Idempotency-Key': 'erase-dk-m9',
      },
    );
    expect(squat.status).toBe(201);

    const res = await kit.send('delete', '/members/dk-m9/personal-data', owner);

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: 'dk-m9', streamId: 'member-dk-m9', version: 1 });
    expect(await kit.streamLength('member-dk-m9')).toBe(2);
  });

  it("given the first ward's closing of its own campaign under the key 'close-dk-c9', when the second ward closes dk-c9 without a key, then it is recorded", async () => {
    const squat = await kit.post('/campaigns/dk-c1/close', squatter, undefined, {
      'Idempotency-Key': 'close-dk-c9',
    });
    expect(squat.status).toBe(201);

    const res = await kit.post('/campaigns/dk-c9/close', owner);

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: 'dk-c9', streamId: 'campaign-dk-c9', version: 1 });
    expect(await kit.streamLength('campaign-dk-c9')).toBe(2);
  });

  it("given the first ward's skill of its own member under the key 'skill-dk-m9-canva', when the second ward records that skill of dk-m9's without a key, then it is recorded", async () => {
    await kit.record('/members', { id: 'dk-m8', unitId: 'dk-ward2', displayName: 'Lê Thị Tám' });
    const squat = await kit.post(
      `/members/${ids.member}/skills`,
      squatter,
      { skill: 'canva', attainedAt: '2025-06-01T09:00:00+07:00' },
      { 'Idempotency-Key': 'skill-dk-m8-canva' },
    );
    expect(squat.status).toBe(201);

    const res = await kit.post('/members/dk-m8/skills', owner, {
      skill: 'canva',
      attainedAt: '2025-06-01T09:00:00+07:00',
    });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: 'dk-m8', streamId: 'member-dk-m8', version: 1 });
    expect(await kit.streamLength('member-dk-m8')).toBe(2);
  });

  it('given an erasure recorded under the id an earlier version derived, when it is resent without a key, then its first result and nothing new', async () => {
    // the earlier version's id, 'erase-<member>', sent here as the key it was
    const first = await kit.send(
      'delete',
      `/members/${ids.member}/personal-data`,
      squatter,
      undefined,
      {
        'Idempotency-Key': `erase-${ids.member}`,
      },
    );
    expect(first.status).toBe(201);
    const before = await kit.totalEvents();

    const res = await kit.send('delete', `/members/${ids.member}/personal-data`, squatter);

    expect(res.status).toBe(201);
    expect(res.body).toEqual(first.body);
    expect(await kit.totalEvents()).toBe(before);
  });

  it('given a skill an earlier version recorded under the id it derived, ignoring the Idempotency-Key it came with, when it is resent with that key, before and after the member is erased, then its first result and nothing new', async () => {
    await kit.record('/members', { id: 'dk-m7', unitId: 'dk-ward2', displayName: 'Vũ Văn Bảy' });
    const body = { skill: 'vneid_level2', attainedAt: '2025-06-01T09:00:00+07:00' };
    // Until the route took the header, the command id was 'skill-<member>-<skill>' and its request
    // the member and the skill alone, whatever key came with it: the row a keyless record writes
    // today (request alike) under that earlier id is what such a database holds.
    const first = await kit.post('/members/dk-m7/skills', owner, body);
    expect(first.status).toBe(201);
    const moved = await kit.sql(
      `UPDATE command_log SET command_key = $2 WHERE command_key = $1 RETURNING command_key`,
      [
        'POST /members/:id/skills skill/dk-m7/vneid_level2',
        'POST /members/:id/skills skill-dk-m7-vneid_level2',
      ],
    );
    expect(moved).toHaveLength(1);
    const before = await kit.totalEvents();

    const resent = await kit.post('/members/dk-m7/skills', owner, body, {
      'Idempotency-Key': 'app-retry-7',
    });
    await kit.record('/members/dk-m7/personal-data', undefined, 'delete');
    const afterErasure = await kit.post('/members/dk-m7/skills', owner, body, {
      'Idempotency-Key': 'app-retry-7',
    });

    expect(resent.status).toBe(201);
    expect(resent.body).toEqual(first.body);
    expect(afterErasure.status).toBe(201);
    expect(afterErasure.body).toEqual(first.body);
    expect(await kit.totalEvents()).toBe(before + 1); // the erasure alone
  });

  it('given a closing recorded under the id an earlier version derived, when it is resent without a key, then its first result and nothing new', async () => {
    await launchCampaign(kit, 'dk-c3', ids.ward);
    // the earlier version's id, 'close-<campaign>', sent here as the key it was
    const first = await kit.post('/campaigns/dk-c3/close', squatter, undefined, {
      'Idempotency-Key': 'close-dk-c3',
    });
    expect(first.status).toBe(201);
    const before = await kit.totalEvents();

    const res = await kit.post('/campaigns/dk-c3/close', squatter);

    expect(res.status).toBe(201);
    expect(res.body).toEqual(first.body);
    expect(await kit.totalEvents()).toBe(before);
  });
});
