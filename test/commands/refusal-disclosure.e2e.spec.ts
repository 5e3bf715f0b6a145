import type { Actor } from '#platform';
import { PROBLEM, hoursAgo, seedTree, startCommandsKit, type CommandsKit } from './commands-kit.js';

/**
 * GET /members lists only the token's subtree, and a refusal outside it is a 403 (API.md). The 403
 * named the unit it read from the target, though: a coordinator trying member ids of other wards
 * learnt the unit of each one that exists, and a volunteer trying shift ids learnt whose shift each
 * was. A refusal now names what the request named (a body's unit) and the token's own root, never
 * what it found behind an id.
 */
describe('a refusal outside the subtree tells nothing found behind the id', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  const coordinator: Actor = { sub: 'rd-coord1', role: 'coordinator', unitId: 'rd-ward' };
  let volunteer: Actor;

  beforeAll(async () => {
    kit = await startCommandsKit('cmd_refusal_disclosure');
    ids = await seedTree(kit, 'rd');
    volunteer = { sub: ids.member, role: 'volunteer', unitId: ids.branch };
    await kit.record('/units', {
      id: 'rd-ward2',
      name: 'Phường 2',
      kind: 'ward',
      parentId: ids.province,
    });
    await kit.record('/members', { id: 'rd-m9', unitId: 'rd-ward2', displayName: 'Hồ Văn Chín' });
    await kit.record('/shifts', {
      id: 'rd-s9',
      memberId: 'rd-m9',
      location: 'Bộ phận một cửa phường 2',
      startedAt: hoursAgo(5),
    });
    await kit.record('/shifts/rd-s9/end', { endedAt: hoursAgo(4) });
  });
  afterAll(async () => {
    await kit?.close();
  });

  const refusedQuietly = (
    res: { status: number; headers: object; body: unknown },
    code: string,
  ) => {
    expect(res.status).toBe(403);
    expect((res.headers as Record<string, string>)['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ status: 403, code });
    expect(JSON.stringify(res.body)).not.toContain('rd-ward2');
    // the path's id is the client's own (`instance`); whose shift it was is not told
    expect((res.body as { detail: string }).detail).not.toContain('rd-m9');
  };

  it("given a member of another ward, when a coordinator records a skill of theirs, then 403 not naming the member's unit", async () => {
    const res = await kit.post('/members/rd-m9/skills', coordinator, {
      skill: 'vneid_level2',
      attainedAt: hoursAgo(24),
    });

    refusedQuietly(res, 'outside_subtree');
    expect(res.body.detail).toContain('"rd-ward"');
  });

  it("given a shift of another ward, when a coordinator verifies it, then 403 not naming its member's unit", async () => {
    refusedQuietly(await kit.post('/shifts/rd-s9/verify', coordinator, {}), 'outside_subtree');
  });

  it('given a shift of another member, when a volunteer corrects it, then 403 not naming whose shift it is', async () => {
    const res = await kit.post('/shifts/rd-s9/corrections', volunteer, {
      startedAt: hoursAgo(6),
      reason: 'Bắt đầu sớm hơn',
    });

    refusedQuietly(res, 'not_own_record');
  });

  it('given a unit of another ward named in the body, when a coordinator enrols a member there, then 403 naming the unit as sent', async () => {
    const res = await kit.post('/members', coordinator, {
      unitId: 'rd-ward2',
      displayName: 'Lê Văn Mười',
    });

    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'outside_subtree' });
    expect(res.body.detail).toContain('"rd-ward2"');
  });
});
