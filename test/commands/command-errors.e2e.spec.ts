import request from 'supertest';
import {
  hoursAgo,
  minutesAhead,
  operator,
  PROBLEM,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from './commands-kit.js';

describe('refused commands answer problem+json and leave no event behind', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  let before: number;
  beforeAll(async () => {
    kit = await startCommandsKit('cmd_errors');
    ids = await seedTree(kit, 'e');
  });
  afterAll(async () => {
    await kit?.close();
  });
  beforeEach(async () => {
    before = await kit.totalEvents();
  });
  const expectNothingRecorded = async () => expect(await kit.totalEvents()).toBe(before);
  const fieldsOf = (res: request.Response) =>
    new Set((res.body.errors as { field: string }[]).map((e) => e.field));

  describe('400', () => {
    it('names each bad field of a shift, unknown fields included', async () => {
      const res = await kit.post('/shifts', operator, {
        memberId: '',
        location: '',
        startedAt: '2025-08-09 07:00',
        admin: true,
      });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(fieldsOf(res)).toEqual(new Set(['memberId', 'location', 'startedAt', 'admin']));
      await expectNothingRecorded();
    });

    it('names the first 20 of thousands of unknown fields, and how many more', async () => {
      // given a body of 4,000 unknown fields (about 50 KB, under the body limit)
      const body = Object.fromEntries(Array.from({ length: 4_000 }, (_, i) => [`field${i}`, 1]));

      // when it is sent as a unit
      const res = await kit.post('/units', operator, {
        name: 'Đoàn phường',
        kind: 'ward',
        ...body,
      });

      // then the refusal lists 20 of them and says how many more, and is smaller than the request
      expect(res.status).toBe(400);
      expect(res.body.errors).toHaveLength(20);
      expect(res.body.detail).toMatch(/field0, field1, .* and 3980 more\.$/);
      expect(res.text.length).toBeLessThan(JSON.stringify(body).length);
      await expectNothingRecorded();
    });

    it('refuses an instant without an offset and names it', async () => {
      const res = await kit.post('/shifts', operator, {
        memberId: ids.member,
        location: 'x',
        startedAt: '2025-08-09T07:00:00',
      });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        { field: 'startedAt', message: expect.stringContaining('offset') },
      ]);
    });

    it('checks campaign dates, window times, zone, goals and service types, nested fields with dots', async () => {
      const res = await kit.post('/campaigns', operator, {
        unitId: ids.ward,
        name: 'x',
        startDate: '09/08/2025',
        endDate: '2025-02-30',
        dailyWindow: { from: '7:00', to: '25:00' },
        timezone: 'Mars/Olympus',
        goals: { citizensAssisted: 0 },
        serviceTypes: ['teleportation'],
      });
      expect(res.status).toBe(400);
      expect(fieldsOf(res)).toEqual(
        new Set([
          'startDate',
          'endDate',
          'dailyWindow.from',
          'dailyWindow.to',
          'timezone',
          'goals.citizensAssisted',
          'serviceTypes',
        ]),
      );
      await expectNothingRecorded();
    });

    it('checks assistance: service type enum and citizens ≥ 1', async () => {
      await kit.post('/shifts', operator, {
        id: 'e-s0',
        memberId: ids.other,
        location: 'x',
        startedAt: hoursAgo(50),
      });
      before = await kit.totalEvents();
      const res = await kit.post('/shifts/e-s0/assistance', operator, {
        serviceType: 'magic',
        citizens: 0,
        occurredAt: hoursAgo(49),
      });
      expect(res.status).toBe(400);
      expect(fieldsOf(res)).toEqual(new Set(['serviceType', 'citizens']));
      await expectNothingRecorded();
    });

    it('checks units: kind enum and a bounded name', async () => {
      const res = await kit.post('/units', operator, { name: 'x'.repeat(201), kind: 'city' });
      expect(res.status).toBe(400);
      expect(fieldsOf(res)).toEqual(new Set(['name', 'kind']));
    });

    it('refuses an action sent without its body, naming the missing fields', async () => {
      for (const path of [
        '/shifts/e-s0/end',
        '/shifts/e-s0/reject',
        '/campaigns/whatever/extend',
      ]) {
        const res = await kit.post(path, operator);
        expect(res.status).toBe(400);
        expect(res.body.errors.length).toBeGreaterThan(0);
      }
    });

    it('refuses malformed JSON', async () => {
      const res = await request(kit.server)
        .post('/units')
        .set('Authorization', await kit.bearer(operator))
        .set('Content-Type', 'application/json')
        .send('{"name": "x", ');
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      await expectNothingRecorded();
    });

    it('refuses a NUL character, which PostgreSQL cannot store, in a body or a path', async () => {
      const inBody = await kit.post('/units', operator, { name: 'Đoàn\u0000x', kind: 'ward' });
      const inPath = await request(kit.server)
        .get('/campaigns/a%00b/progress')
        .set('Authorization', await kit.bearer(operator));

      expect(inBody.status).toBe(400);
      expect(inBody.body.errors).toEqual([
        { field: 'name', message: expect.stringContaining('NUL') },
      ]);
      expect(inPath.status).toBe(400);
      expect(inPath.body.errors).toEqual([
        { field: 'id', message: expect.stringContaining('NUL') },
      ]);
      await expectNothingRecorded();
    });

    it('refuses every body that is JSON but not an object with one and the same answer', async () => {
      const send = async (raw: string) =>
        request(kit.server)
          .post('/units')
          .set('Authorization', await kit.bearer(operator))
          .set('Content-Type', 'application/json')
          .send(raw);
      // given a valid JSON value of every kind but an object, and what each is called
      const kinds = {
        null: 'null',
        '"Đoàn phường"': 'a string',
        '42': 'a number',
        true: 'a boolean',
        '[]': 'an array',
        '[{"name": "x", "kind": "ward"}]': 'an array',
      };

      for (const [raw, kind] of Object.entries(kinds)) {
        // when it is a command's body
        const res = await send(raw);

        // then the answer is the same for all: 400 validation_failed naming the body
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toMatch(PROBLEM);
        expect(res.body).toMatchObject({
          code: 'validation_failed',
          detail: `The request body must be a JSON object, not ${kind}.`,
          errors: [{ field: '(body)', message: 'the request body must be a JSON object' }],
        });
      }
      await expectNothingRecorded();
    });
  });

  it('401 without a token or with a bad one', async () => {
    const none = await kit.post('/units', null, { name: 'x', kind: 'ward' });
    expect(none.status).toBe(401);
    expect(none.headers['content-type']).toMatch(PROBLEM);
    const bad = await kit.post(
      '/units',
      null,
      { name: 'x', kind: 'ward' },
      { Authorization: 'Bearer not.a.token' },
    );
    expect(bad.status).toBe(401);
    await expectNothingRecorded();
  });

  it('413 for a body over the limit (64 KiB)', async () => {
    const res = await kit.post('/posts', operator, {
      unitId: ids.ward,
      channel: 'fb',
      title: 'x',
      publishedAt: hoursAgo(1),
      tags: ['a'.repeat(70_000)],
    });
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    await expectNothingRecorded();
  });

  describe('422 for a broken domain rule', () => {
    beforeAll(async () => {
      await kit.post('/shifts', operator, {
        id: 'e-s1',
        memberId: ids.member,
        location: 'x',
        startedAt: hoursAgo(10),
      });
      await kit.post('/shifts/e-s1/end', operator, { endedAt: hoursAgo(6) });
    });

    const expect422 = async (res: request.Response, code: string) => {
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body).toMatchObject({ status: 422, code, detail: expect.any(String) });
      await expectNothingRecorded();
    };

    it('a shift overlapping another of the member', async () => {
      const res = await kit.post('/shifts', operator, {
        memberId: ids.member,
        location: 'x',
        startedAt: hoursAgo(8),
      });
      await expect422(res, 'shift_overlaps');
    });

    it('a shift longer than the maximum (16 h)', async () => {
      await kit.post('/members', operator, {
        id: 'e-m3',
        unitId: ids.branch,
        displayName: 'Lê Văn Cường',
      });
      const started = await kit.post('/shifts', operator, {
        id: 'e-long',
        memberId: 'e-m3',
        location: 'x',
        startedAt: hoursAgo(40),
      });
      expect(started.status).toBe(201);
      before = await kit.totalEvents();
      const res = await kit.post('/shifts/e-long/end', operator, { endedAt: hoursAgo(20) });
      expect(res.status).toBe(422);
      expect(res.body.code).toMatch(/too_long|max/);
      await expectNothingRecorded();
      await kit.post('/shifts/e-long/end', operator, { endedAt: hoursAgo(30) });
    });

    it('assistance outside its shift', async () => {
      const res = await kit.post('/shifts/e-s1/assistance', operator, {
        serviceType: 'app_install',
        occurredAt: hoursAgo(5),
      });
      await expect422(res, 'assistance_outside_shift');
    });

    it('anything more than 5 minutes in the future', async () => {
      const res = await kit.post('/shifts', operator, {
        memberId: ids.member,
        location: 'x',
        startedAt: minutesAhead(6),
      });
      await expect422(res, 'in_the_future');
    });

    it('ending a shift that is not open', async () => {
      const res = await kit.post('/shifts/e-s1/end', operator, { endedAt: hoursAgo(5) });
      await expect422(res, 'shift_not_open');
    });
  });
});
