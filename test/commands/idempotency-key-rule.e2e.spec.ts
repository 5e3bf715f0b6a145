import {
  hoursAgo,
  operator,
  PROBLEM,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from './commands-kit.js';

// The Idempotency-Key header names a command as a body's `commandId` or `id` does, so it follows
// the same rule (1-100 letters, digits, ".", "_", ":" or "-"); a key outside it is an invalid
// request, refused before anything is decided or appended.
describe('the Idempotency-Key header follows the rule of a command id', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  beforeAll(async () => {
    // given a member with an open shift, and a member to erase
    kit = await startCommandsKit('idem_key_rule');
    ids = await seedTree(kit, 'k');
    await kit.record('/members', { id: 'k-m3', unitId: 'k-branch', displayName: 'Lê Văn Ba' });
    await kit.record('/shifts', {
      id: 'k-s1',
      memberId: ids.member,
      location: 'TTHCC',
      startedAt: hoursAgo(3),
    });
  });
  afterAll(async () => {
    await kit?.close();
  });

  const badKeys = ['', 'two words', 'k'.repeat(101), 'khóa-1', '../k-s1', '-leading-dash'];
  const commands: ['post' | 'delete', string, object | undefined][] = [
    ['post', '/shifts/k-s1/end', { endedAt: hoursAgo(1) }],
    ['post', '/units', { name: 'Chi đoàn 2', kind: 'branch', parentId: 'k-ward' }],
    ['delete', '/members/k-m3/personal-data', undefined],
  ];

  it.each(badKeys)(
    'refuses the key %j with 400 naming Idempotency-Key, recording nothing',
    async (key) => {
      const before = await kit.totalEvents();
      for (const [method, path, body] of commands) {
        // when a command is sent with that key
        const res = await kit.send(method, path, operator, body, { 'Idempotency-Key': key });

        // then it is refused as an invalid request naming the header, and the log is as it was
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toMatch(PROBLEM);
        expect(res.body).toMatchObject({
          code: 'validation_failed',
          errors: [{ field: 'Idempotency-Key', message: expect.stringContaining('1-100 letters') }],
        });
      }
      expect(await kit.totalEvents()).toBe(before);
    },
  );

  it('takes a key within the rule, as before', async () => {
    await kit.record('/shifts', {
      id: 'k-s2',
      memberId: ids.other,
      location: 'TTHCC',
      startedAt: hoursAgo(3),
    });
    const key = { 'Idempotency-Key': 'end-k-s2:2025.1_a' };
    const body = { endedAt: hoursAgo(1) };
    const first = await kit.post('/shifts/k-s2/end', operator, body, key);
    const again = await kit.post('/shifts/k-s2/end', operator, body, key);

    expect(first.status).toBe(201);
    expect(again.body).toEqual(first.body);
  });
});
