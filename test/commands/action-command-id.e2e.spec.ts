import {
  hoursAgo,
  operator,
  PROBLEM,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from './commands-kit.js';

// README "Idempotent commands": every command has an id, the body `id` for a creation and `commandId`
// for an action (else an Idempotency-Key header). Erasing a member or a citizen and recording a skill
// are actions, yet the skill and citizen routes refused `commandId` (400 "should not exist"), and a
// member's erasure took no body at all: `commandId` and any other field were dropped in silence.
describe('every action takes its command id in the body, as commandId', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  beforeAll(async () => {
    // given a member with skills to record, and two members to erase
    kit = await startCommandsKit('action_command_id');
    ids = await seedTree(kit, 'ac');
    for (const id of ['ac-m3', 'ac-m4'])
      await kit.record('/members', { id, unitId: ids.branch, displayName: 'Lê Văn Ba' });
  });
  afterAll(async () => {
    await kit?.close();
  });

  const cases: [string, 'post' | 'delete', string, object, string, object][] = [
    [
      'a skill',
      'post',
      '/members/ac-m1/skills',
      { skill: 'vneid_level2', attainedAt: hoursAgo(48) },
      '/members/ac-m1/skills',
      { skill: 'digital_signature', attainedAt: hoursAgo(48) },
    ],
    [
      "a citizen's erasure",
      'delete',
      '/citizens/personal-data',
      { citizenRef: '079201000001' },
      '/citizens/personal-data',
      { citizenRef: '079201000002' },
    ],
    [
      "a member's erasure",
      'delete',
      '/members/ac-m3/personal-data',
      {},
      '/members/ac-m4/personal-data',
      {},
    ],
  ];

  it.each(cases)(
    '%s sent twice with one commandId is recorded once; the id with another body is a 409',
    async (_, method, path, body, otherPath, otherBody) => {
      const commandId = `ac-${method}-${path.length}`;

      // when the action is sent twice with its commandId
      const first = await kit.send(method, path, operator, { ...body, commandId });
      const afterFirst = await kit.totalEvents();
      const again = await kit.send(method, path, operator, { ...body, commandId });

      // then it is recorded once and answered the same
      expect(first.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(await kit.totalEvents()).toBe(afterFirst);

      // when the same id names another action, then it is refused and nothing is recorded
      const reused = await kit.send(method, otherPath, operator, { ...otherBody, commandId });
      expect(reused.status).toBe(409);
      expect(reused.body.code).toBe('command_id_reused');
      expect(await kit.totalEvents()).toBe(afterFirst);
    },
  );

  it.each([
    [{ reason: 'left' }, 'reason'],
    [[], '(body)'],
  ])(
    "a member's erasure refuses the body %j naming %s, as every command does",
    async (body, field) => {
      const before = await kit.totalEvents();

      // when a member is erased with a body no command takes
      const res = await kit.send('delete', '/members/ac-m2/personal-data', operator, body);

      // then 400 names what was wrong and the member is not erased
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.errors).toEqual([expect.objectContaining({ field })]);
      expect(await kit.totalEvents()).toBe(before);
    },
  );
});
