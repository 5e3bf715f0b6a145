import { maxUnitLevels } from '#domain';
import { operator, PROBLEM, startCommandsKit, type CommandsKit } from './commands-kit.js';

/**
 * Every consumer keeps a unit's ancestors with it (paths, closure rows), so the tree's depth bounds
 * what one unit costs them. Nothing refused a chain of units: 2,000 of them made an 800 MB closure
 * table and held the volunteer-activity projection for minutes at each new unit.
 */
describe('how deep the unit tree may grow', () => {
  let kit: CommandsKit;
  const chain = Array.from({ length: maxUnitLevels }, (_, i) => `deep-${i + 1}`);

  beforeAll(async () => {
    kit = await startCommandsKit('cmd_unit_depth');
    let parentId: string | undefined;
    for (const id of chain) {
      await kit.record('/units', { id, name: `Cấp ${id}`, kind: 'branch', parentId });
      parentId = id;
    }
  });
  afterAll(async () => {
    await kit?.close();
  });

  it(`given a chain of ${maxUnitLevels} units, when a unit is registered below the last, then 422 unit_too_deep and nothing is recorded`, async () => {
    const before = await kit.totalEvents();
    const deepest = chain[chain.length - 1];
    for (const actor of [
      operator,
      { sub: 'co-1', role: 'coordinator' as const, unitId: deepest },
    ]) {
      const res = await kit.post('/units', actor, {
        id: 'deep-too-far',
        name: 'Một cấp nữa',
        kind: 'branch',
        parentId: deepest,
      });
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body).toMatchObject({ code: 'unit_too_deep' });
      expect(res.body.detail).toContain(String(maxUnitLevels));
    }
    expect(await kit.streamLength('unit-deep-too-far')).toBe(0);
    expect(await kit.totalEvents()).toBe(before);
  });

  it('given the same chain, when a unit is registered beside the last, then it is recorded', async () => {
    const res = await kit.post('/units', operator, {
      id: 'deep-sibling',
      name: 'Cùng cấp',
      kind: 'branch',
      parentId: chain[chain.length - 2],
    });
    expect(res.status).toBe(201);
  });
});
