import { DateTime } from 'luxon';
import request from 'supertest';
import type { Actor } from '#platform';
import { auditTrailProjection, volunteerActivityProjection } from '#projections';
import {
  PROBLEM,
  auditor,
  type CommandsKit,
  hoursAgo,
  operator,
  seedTree,
  startCommandsKit,
  viewer,
} from '../commands/commands-kit.js';

describe('query routes over HTTP', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  let position = 0;
  const get = async (path: string, actor: Actor, accept?: string) => {
    let req = request(kit.server)
      .get(path)
      .set('Authorization', await kit.bearer(actor));
    if (accept) req = req.set('Accept', accept);
    return req;
  };
  const command = async (path: string, body: object) => {
    const recorded = await kit.record(path, body);
    position = Math.max(position, recorded.position);
    return recorded;
  };

  beforeAll(async () => {
    kit = await startCommandsKit('proj_routes', { worker: true });
    ids = await seedTree(kit, 'q');
    const today = DateTime.now().setZone('Asia/Ho_Chi_Minh');
    await command('/campaigns', {
      id: 'q-c1',
      unitId: ids.ward,
      name: 'Đổi thẻ đảng viên',
      startDate: today.minus({ days: 3 }).toISODate(),
      endDate: today.plus({ days: 1 }).toISODate(),
      dailyWindow: { from: '00:00', to: '24:00' },
      goals: { citizensAssisted: 10 },
    });
    await command('/shifts', {
      id: 'q-s1',
      memberId: ids.member,
      campaignId: 'q-c1',
      location: 'TTHCC',
      startedAt: hoursAgo(6),
    });
    await command('/shifts/q-s1/assistance', {
      id: 'q-a1',
      serviceType: 'party_card_replacement',
      citizens: 4,
      occurredAt: hoursAgo(5),
    });
    await command('/shifts/q-s1/end', { endedAt: hoursAgo(3) });
    await command('/shifts/q-s1/verify', {});
    await command('/clubs', {
      id: 'q-k1',
      unitId: ids.branch,
      name: 'CLB CĐS',
      foundedAt: hoursAgo(100),
    });
  }, 120_000);
  afterAll(() => kit?.close());

  it('answers campaign progress once the projection reached the position a command returned', async () => {
    const res = await get(`/campaigns/q-c1/progress?minPosition=${position}`, viewer);

    expect(res.status).toBe(200);
    expect(res.body.totals).toEqual({
      citizensAssisted: 4,
      volunteerTurns: 1,
      distinctVolunteers: 1,
      hours: 3,
      verifiedHours: 3,
    });
    expect(res.body.goals.citizensAssisted).toEqual({ target: 10, reached: 4, percent: 40 });
    expect(res.body.byDay).toHaveLength(5);
    expect(res.body.position).toBeGreaterThanOrEqual(position);
  });

  it('answers leaderboards and unit roll-ups with names opened from the vault', async () => {
    const members = await get(
      `/leaderboards/members?metric=verifiedHours&minPosition=${position}`,
      viewer,
    );
    const units = await get(`/leaderboards/units?metric=clubs&parentId=${ids.province}`, viewer);
    const summary = await get(`/units/${ids.province}/summary`, viewer);

    expect(members.body.entries).toEqual([
      { rank: 1, memberId: ids.member, displayName: 'Nguyễn Văn An', unitId: ids.branch, value: 3 },
    ]);
    expect(units.body.entries).toEqual([
      { rank: 1, unitId: ids.ward, name: 'Đoàn phường', value: 1 },
    ]);
    expect(summary.body).toMatchObject({
      unitId: ids.province,
      members: 2,
      clubs: 1,
      citizensAssisted: 4,
      verifiedHours: 3,
      subunits: 2,
    });
  });

  it('gives auditors the hours as JSON or CSV, the stream with its hashes and its verification; viewers get 403', async () => {
    const json = await get(`/audit/members/${ids.member}/hours?minPosition=${position}`, auditor);
    const csv = await get(`/audit/members/${ids.member}/hours`, auditor, 'text/csv');
    const stream = await get('/audit/streams/shift-q-s1', auditor);
    const verify = await get('/audit/streams/shift-q-s1/verify', auditor);
    const refused = await get(`/audit/members/${ids.member}/hours`, viewer);

    expect(json.body).toMatchObject({
      verifiedHours: 3,
      shifts: [{ shiftId: 'q-s1', status: 'verified', recordedBy: 'op-1', verifiedBy: 'op-1' }],
    });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text.split('\r\n')[1]).toContain('q-s1,q-c1');
    expect(stream.body.events.map((e: { type: string }) => e.type)).toEqual([
      'ShiftStarted',
      'CitizenAssisted',
      'ShiftEnded',
      'ShiftVerified',
    ]);
    expect(verify.body).toEqual({
      streamId: 'shift-q-s1',
      valid: true,
      events: 4,
      headHash: stream.body.events[3].hash,
    });
    expect(refused.status).toBe(403);
  });

  it('reports each projection checkpoint and lag in /health and /metrics', async () => {
    const health = await request(kit.server).get('/health');
    const metrics = await request(kit.server)
      .get('/metrics')
      .set('Authorization', await kit.bearer(operator));

    expect(health.body.components.projections).toMatchObject({ healthy: true });
    expect(
      health.body.components.projections.projections.map((p: { name: string }) => p.name).sort(),
    ).toEqual(['audit-trail', 'posting-cadence', 'programmes-skills', 'volunteer-activity']);
    expect(metrics.text).toMatch(
      new RegExp(
        `projection_checkpoint\\{projection="volunteer-activity",version="${volunteerActivityProjection.version}",state="live"\\} \\d+`,
      ),
    );
    expect(metrics.text).toMatch(
      new RegExp(
        `projection_lag_events\\{projection="audit-trail",version="${auditTrailProjection.version}",state="live"\\} \\d+`,
      ),
    );
  });

  // Positions are JSON numbers where a command answers them and in /admin/projections; /health gave
  // the same head and checkpoints as strings, so a client comparing them with a command's position
  // (or with /admin/projections) compared a string with a number.
  it('gives /health the head and checkpoints as numbers, as /admin/projections and commands give them', async () => {
    // given a command recorded and projected
    expect((await get(`/units/${ids.ward}/summary?minPosition=${position}`, viewer)).status).toBe(
      200,
    );

    // when the projections are read from /health and from /admin/projections
    const health = (await request(kit.server).get('/health')).body.components.projections;
    const admin = (await get('/admin/projections', operator)).body;

    // then /health gives the same kind of value as the others: numbers, the head past the command
    expect(typeof admin.head).toBe('number');
    expect(typeof health.head).toBe('number');
    expect(health.head).toBeGreaterThanOrEqual(position);
    const kinds = (list: { checkpoint: unknown }[]) => list.map((p) => typeof p.checkpoint);
    expect(kinds(health.projections)).toEqual(Array(4).fill('number'));
    expect(kinds(admin.projections)).toEqual(Array(4).fill('number'));
  });

  it('refuses bad parameters with problem+json', async () => {
    const res = await get('/leaderboards/members?metric=bravery&from=yesterday', viewer);

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'from',
      'metric',
    ]);
  });

  it('answers 504 when the projection does not reach minPosition within 5 s, saying when to ask again', async () => {
    const res = await get(
      `/campaigns/q-c1/progress?minPosition=${BigInt(position) * 1000n}`,
      viewer,
    );

    expect(res.status).toBe(504);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  }, 15_000);

  it('lets operators see projections and rebuild them while reads keep answering', async () => {
    expect((await get('/admin/projections', viewer)).status).toBe(403);
    const list = await get('/admin/projections', operator);
    expect(list.body.projections.map((p: { name: string }) => p.name).sort()).toEqual([
      'audit-trail',
      'posting-cadence',
      'programmes-skills',
      'volunteer-activity',
    ]);

    const started = await request(kit.server)
      .post('/admin/projections/rebuild')
      .set('Authorization', await kit.bearer(operator))
      .send({ projection: 'volunteer-activity' });
    expect(started.status).toBe(202);
    let job = (await get(`/admin/jobs/${started.body.id}`, operator)).body;
    while (job.state === 'running') {
      expect((await get('/campaigns/q-c1/progress', viewer)).body.totals.citizensAssisted).toBe(4);
      await new Promise((resolve) => setTimeout(resolve, 50));
      job = (await get(`/admin/jobs/${started.body.id}`, operator)).body;
    }
    expect(job).toMatchObject({
      state: 'done',
      processed: expect.any(Number),
      total: expect.any(Number),
    });
    expect((await get('/campaigns/q-c1/progress', viewer)).body.totals.citizensAssisted).toBe(4);
    expect((await get('/admin/jobs/nope', operator)).status).toBe(404);
  }, 60_000);

  it('streams one server-sent event per projected change', async () => {
    const base = await kit.url();
    const abort = new AbortController();
    const response = await fetch(`${base}/events/live`, {
      headers: { Authorization: await kit.bearer(viewer) },
      signal: abort.signal,
    });
    const reader = response.body!.getReader();
    await command('/posts', {
      id: 'q-p1',
      unitId: ids.ward,
      channel: 'fanpage',
      title: 'Tin tốt',
      tags: ['good-news'],
      publishedAt: hoursAgo(1),
    });
    let text = '';
    while (!text.includes('posting-cadence'))
      text += new TextDecoder().decode((await reader.read()).value);
    abort.abort();

    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(text).toMatch(/data: \{"projection":"posting-cadence".*"events":1/);
  }, 30_000);

  it('takes the token of the live stream from ?access_token= for EventSource clients, and nowhere else', async () => {
    const base = await kit.url();
    const token = (await kit.bearer(viewer)).replace(/^Bearer /, '');
    const abort = new AbortController();

    const live = await fetch(`${base}/events/live?access_token=${token}`, {
      signal: abort.signal,
    });
    abort.abort();
    const forged = await request(kit.server).get(`/events/live?access_token=${token}x`);
    const elsewhere = await request(kit.server).get(
      `/campaigns/q-c1/progress?access_token=${token}`,
    );

    expect(live.status).toBe(200);
    expect(live.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(forged.status).toBe(401);
    expect(forged.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(elsewhere.status).toBe(401);
  });
});
