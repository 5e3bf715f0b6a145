import { type CommandsKit, PROBLEM, startCommandsKit, viewer } from '../commands/commands-kit.js';

// API.md "General": 404 for an unknown id. Every /units/:id read knows a unit the same way (the unit
// roll-ups hold it), so none of them answers an empty 200 for a unit that does not exist.
describe('the reads of a unit answer 404 alike for a unit nobody registered', () => {
  let kit: CommandsKit;
  let position = 0;
  const get = (path: string) => kit.send('get', path, viewer);

  beforeAll(async () => {
    // given one registered ward, with no post yet
    kit = await startCommandsKit('unknown_unit', { worker: true });
    ({ position } = await kit.record('/units', {
      id: 'uu-ward',
      name: 'Đoàn phường',
      kind: 'ward',
    }));
  }, 120_000);
  afterAll(async () => {
    await kit?.close();
  });

  it.each(['summary', 'cadence', 'programmes', 'digital-skills'])(
    'GET /units/nope/%s answers 404 not_found',
    async (read) => {
      // when a read names a unit that was never registered (after the projections caught up)
      const res = await get(`/units/nope/${read}?minPosition=${position}`);

      // then it is refused as an unknown id, like the others
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body).toMatchObject({
        code: 'not_found',
        detail: 'unit nope is unknown (or not projected yet)',
      });
    },
  );

  it("answers a known unit's cadence, with no channel yet, and the position it reflects", async () => {
    const res = await get(`/units/uu-ward/cadence?minPosition=${position}`);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ unitId: 'uu-ward', channels: [] });
    expect(res.body.position).toBeGreaterThanOrEqual(position);
  });
});
