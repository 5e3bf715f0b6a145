import {
  hoursAgo,
  operator,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from './commands-kit.js';

describe('resending a command records nothing new', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  beforeAll(async () => {
    kit = await startCommandsKit('cmd_idem');
    ids = await seedTree(kit, 'i');
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('same id, same body: the same answer, one event', async () => {
    const body = { id: 'i-unit', name: 'Chi đoàn 2', kind: 'branch', parentId: ids.ward };
    const first = await kit.post('/units', operator, body);
    const again = await kit.post('/units', operator, body);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await kit.streamLength('unit-i-unit')).toBe(1);
  });

  it('same id, another body: 409, nothing recorded', async () => {
    const res = await kit.post('/units', operator, {
      id: 'i-unit',
      name: 'Another name',
      kind: 'branch',
      parentId: ids.ward,
    });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('command_id_reused');
    expect(await kit.streamLength('unit-i-unit')).toBe(1);
  });

  it('a shift, its assistance (the body id) and its end (commandId) resent', async () => {
    const start = { id: 'i-s1', memberId: ids.member, location: 'TTHCC', startedAt: hoursAgo(6) };
    const help = {
      id: 'i-a1',
      serviceType: 'party_card_replacement',
      citizens: 12,
      occurredAt: hoursAgo(5),
    };
    const end = { commandId: 'i-end-1', endedAt: hoursAgo(1) };
    const answers = [];
    for (let round = 0; round < 2; round++) {
      answers.push([
        (await kit.post('/shifts', operator, start)).body,
        (await kit.post('/shifts/i-s1/assistance', operator, help)).body,
        (await kit.post('/shifts/i-s1/end', operator, end)).body,
      ]);
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[0]!.map((a) => a.id)).toEqual(['i-s1', 'i-a1', 'i-s1']);
    expect(answers[0]!.map((a) => a.version)).toEqual([0, 1, 2]);
    expect(await kit.streamLength('shift-i-s1')).toBe(3);
    const otherEnd = await kit.post('/shifts/i-s1/end', operator, {
      commandId: 'i-end-1',
      endedAt: hoursAgo(2),
    });
    expect(otherEnd.status).toBe(409);
  });

  it('the Idempotency-Key header makes an action safe to resend', async () => {
    await kit.post('/shifts', operator, {
      id: 'i-s2',
      memberId: ids.other,
      location: 'x',
      startedAt: hoursAgo(30),
    });
    await kit.post('/shifts/i-s2/end', operator, { endedAt: hoursAgo(29) });
    const key = { 'Idempotency-Key': 'verify-i-s2-once' };
    const first = await kit.post('/shifts/i-s2/verify', operator, {}, key);
    const again = await kit.post('/shifts/i-s2/verify', operator, {}, key);
    expect(first.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await kit.streamLength('shift-i-s2')).toBe(3);
    // Without a key a second verification is a new command, refused by the state: already verified.
    expect((await kit.post('/shifts/i-s2/verify', operator, {})).status).toBe(409);
  });

  it('closing a campaign and erasing a member are idempotent even without a key', async () => {
    const launched = await kit.post('/campaigns', operator, {
      id: 'i-c1',
      unitId: ids.ward,
      name: 'x',
      startDate: '2025-08-09',
      endDate: '2025-08-15',
      dailyWindow: { from: '07:00', to: '22:00' },
    });
    expect(launched.status).toBe(201);
    const close = [
      await kit.post('/campaigns/i-c1/close', operator),
      await kit.post('/campaigns/i-c1/close', operator),
    ];
    expect(close[1]!.body).toEqual(close[0]!.body);
    expect(await kit.streamLength('campaign-i-c1')).toBe(2);
    const erase = [
      await kit.send('delete', `/members/${ids.other}/personal-data`, operator),
      await kit.send('delete', `/members/${ids.other}/personal-data`, operator),
    ];
    expect(erase.map((r) => r.status)).toEqual([201, 201]);
    expect(await kit.streamLength(`member-${ids.other}`)).toBe(2);
  });

  it('a crash between the append and the log: the resend finds its events and answers the first result', async () => {
    const body = { id: 'i-crash', unitId: ids.branch, displayName: 'Đinh Văn Crash' };
    const first = await kit.post('/members', operator, body);
    await kit.sql(`DELETE FROM command_log WHERE command_key = 'POST /members i-crash'`); // as if the process died
    const again = await kit.post('/members', operator, body);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await kit.streamLength('member-i-crash')).toBe(1);
  });

  it('an Idempotency-Key on a creation without id names the aggregate', async () => {
    const key = { 'Idempotency-Key': 'form-6f1c2d' };
    const body = { unitId: ids.ward, name: 'CLB Chuyển đổi số', foundedAt: hoursAgo(48) };
    const first = await kit.post('/clubs', operator, body, key);
    const again = await kit.post('/clubs', operator, body, key);
    expect(first.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await kit.streamLength(first.body.streamId)).toBe(1);
    expect((await kit.post('/clubs', operator, { ...body, name: 'Another' }, key)).status).toBe(
      409,
    );
  });

  it('a refused command frees its id: fixed and resent, it is recorded', async () => {
    const bad = await kit.post('/shifts', operator, {
      id: 'i-s3',
      memberId: ids.member,
      location: 'x',
      startedAt: hoursAgo(3),
    });
    expect(bad.status).toBe(422); // overlaps i-s1
    const good = await kit.post('/shifts', operator, {
      id: 'i-s3',
      memberId: ids.member,
      location: 'x',
      startedAt: hoursAgo(0.5),
    });
    expect(good.status).toBe(201);
  });

  it('the same command sent 5 times at once is recorded once, every answer the same', async () => {
    const body = { id: 'i-par', memberId: 'i-solo', location: 'x', startedAt: hoursAgo(2) };
    await kit.post('/members', operator, {
      id: 'i-solo',
      unitId: ids.branch,
      displayName: 'Phạm Dũng',
    });
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => kit.post('/shifts', operator, body)),
    );
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    for (const answer of answers) expect(answer.body).toEqual(answers[0]!.body);
    expect(await kit.streamLength('shift-i-par')).toBe(1);
  });
});

describe('concurrent shifts of one member', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  beforeAll(async () => {
    kit = await startCommandsKit('cmd_race');
    ids = await seedTree(kit, 'c');
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('10 overlapping shifts sent at once: exactly one recorded, the rest refused, no stray event', async () => {
    const before = await kit.totalEvents();
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        kit.post('/shifts', operator, {
          id: `c-s${i}`,
          memberId: ids.member,
          location: 'x',
          startedAt: hoursAgo(3 - i * 0.1),
        }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 201).every((s) => s === 422 || s === 409)).toBe(true);
    expect(await kit.totalEvents()).toBe(before + 1);
    const recorded = answers.findIndex((a) => a.status === 201);
    for (let i = 0; i < 10; i++)
      expect(await kit.streamLength(`shift-c-s${i}`)).toBe(i === recorded ? 1 : 0);
  });
});

describe('a burst of commands on one stream', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  beforeAll(async () => {
    kit = await startCommandsKit('cmd_burst');
    ids = await seedTree(kit, 'b');
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('12 assistance records sent at once to one shift are all recorded, each once', async () => {
    await kit.post('/shifts', operator, {
      id: 'b-s1',
      memberId: ids.member,
      location: 'x',
      startedAt: hoursAgo(5),
    });
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        kit.post('/shifts/b-s1/assistance', operator, {
          id: `b-a${i}`,
          serviceType: 'eid_activation',
          occurredAt: hoursAgo(4 - i * 0.1),
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(201));
    expect(new Set(answers.map((a) => a.body.version))).toEqual(
      new Set(Array.from({ length: 12 }, (_, i) => i + 1)),
    );
    expect(await kit.streamLength('shift-b-s1')).toBe(13);
  });
});
