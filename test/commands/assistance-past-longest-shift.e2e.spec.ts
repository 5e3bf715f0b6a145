import { operator, seedTree, startCommandsKit, type CommandsKit } from './commands-kit.js';

const hour = 3_600_000;
const at = (ms: number) => new Date(ms).toISOString();

// An open shift ends at most MAX_SHIFT_HOURS (16) after its start. Assistance recorded later than
// that on it was taken (201), and the shift could then never be ended: an end after the assistance
// was `shift_too_long`, an end before it `assistance_outside_shift`. It stayed open, overdue,
// crediting no hours while its assistance counted in the campaign's progress.
describe('assistance on an open shift past the longest a shift lasts', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  const start = Date.now() - 20 * hour;
  beforeAll(async () => {
    // given a member's shift, open since 20 hours ago
    kit = await startCommandsKit('assist_past_longest');
    ids = await seedTree(kit, 'apl');
    await kit.record('/shifts', {
      id: 'apl-s1',
      memberId: ids.member,
      location: 'Nhà văn hoá khu phố 3',
      startedAt: at(start),
    });
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('is refused as outside the shift, naming the limit, and nothing is recorded', async () => {
    const before = await kit.streamLength('shift-apl-s1');

    // when assistance is recorded 18 hours after the shift's start
    const res = await kit.post('/shifts/apl-s1/assistance', operator, {
      id: 'apl-a-late',
      serviceType: 'eid_activation',
      occurredAt: at(start + 18 * hour),
    });

    // then 422 says it falls outside any end the shift can have, and the stream is as it was
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('assistance_outside_shift');
    expect(res.body.detail).toContain('16 hours');
    expect(await kit.streamLength('shift-apl-s1')).toBe(before);
  });

  it('takes assistance up to the longest end, and the shift still ends', async () => {
    // when assistance is recorded at the last moment the shift may reach, and the shift is ended there
    const edge = await kit.post('/shifts/apl-s1/assistance', operator, {
      id: 'apl-a-edge',
      serviceType: 'eid_activation',
      occurredAt: at(start + 16 * hour),
    });
    const end = await kit.post('/shifts/apl-s1/end', operator, { endedAt: at(start + 16 * hour) });

    // then both are recorded
    expect(edge.status).toBe(201);
    expect(end.status).toBe(201);
  });
});
