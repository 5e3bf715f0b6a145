import { DateTime } from 'luxon';
import request from 'supertest';
import type { Actor } from '#platform';
import {
  auditor,
  type CommandsKit,
  finishedJob,
  hoursAgo,
  operator,
  PROBLEM,
  seedTree,
  startCommandsKit,
  viewer,
} from '../commands/commands-kit.js';

type Answers = Record<string, unknown>;

// API.md "Snapshots (time travel)": looking at the past never touches what dashboards read.
describe('snapshots of the past beside the live read models', () => {
  let kit: CommandsKit;
  let t1: Awaited<ReturnType<typeof seedTree>>;
  let position = 0;
  const get = (path: string, actor: Actor = viewer) => kit.send('get', path, actor);
  const command = async (path: string, body: object) => {
    position = Math.max(position, (await kit.record(path, body)).position);
  };
  const today = DateTime.now().setZone('Asia/Ho_Chi_Minh');
  const campaign = (id: string, unitId: string) =>
    command('/campaigns', {
      id,
      unitId,
      name: 'Đổi thẻ đảng viên',
      startDate: today.minus({ days: 2 }).toISODate(),
      endDate: today.plus({ days: 1 }).toISODate(),
      dailyWindow: { from: '00:00', to: '24:00' },
      goals: { citizensAssisted: 20 },
    });
  const shift = async (id: string, memberId: string, campaignId: string, hours: number[]) => {
    const [start, assist, end] = hours as [number, number, number];
    await command('/shifts', {
      id,
      memberId,
      campaignId,
      location: 'TTHCC',
      startedAt: hoursAgo(start),
    });
    await command(`/shifts/${id}/assistance`, {
      id: `${id}-a`,
      serviceType: 'party_card_replacement',
      citizens: start - end,
      occurredAt: hoursAgo(assist),
    });
    await command(`/shifts/${id}/end`, { endedAt: hoursAgo(end) });
  };
  // Every read route about the first tree, with the actor allowed to read it.
  const routes = (): [string, Actor][] => [
    [`/campaigns/c1/progress`, viewer],
    [`/leaderboards/members?metric=citizensAssisted&unitId=${t1.province}`, viewer],
    [`/leaderboards/members?metric=verifiedHours&unitId=${t1.province}`, viewer],
    [`/leaderboards/units?metric=citizensAssisted&parentId=${t1.province}`, viewer],
    [`/units/${t1.province}/summary`, viewer],
    [`/audit/members/${t1.member}/hours`, auditor],
  ];
  /** Each route's answer, `position` left out (a snapshot's is its bound, live's moves with the log). */
  const answers = async (query: string): Promise<Answers> => {
    const all: Answers = {};
    for (const [path, actor] of routes()) {
      const res = await get(`${path}${path.includes('?') ? '&' : '?'}${query}`, actor);
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
      const { position: _position, ...answer } = res.body as Answers;
      all[path] = answer;
    }
    return all;
  };
  const withoutStamp = (all: Answers) =>
    Object.fromEntries(
      Object.entries(all).map(([path, answer]) => {
        const { snapshot: _snapshot, ...rest } = answer as Answers;
        return [path, rest];
      }),
    );
  const untilDone = (jobId: string) => finishedJob(kit, jobId);

  let atT: Answers;
  let beforeSnapshot: Answers;
  let toTime: string;

  beforeAll(async () => {
    kit = await startCommandsKit('proj_snapshots', { worker: true });
    t1 = await seedTree(kit, 't1');
    await campaign('c1', t1.ward);
    await shift('s1', t1.member, 'c1', [9, 8, 6]);
    await command('/shifts/s1/verify', {});
    await shift('s2', t1.other, 'c1', [8, 7, 6]);
    atT = await answers(`minPosition=${position}`);
    toTime = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20)); // what follows is recorded after toTime
    // After toTime: a correction, a verification, and a shift typed in late (it happened before toTime).
    await command('/shifts/s1/corrections', { endedAt: hoursAgo(7), reason: 'left early' });
    await command('/shifts/s2/verify', {});
    await shift('s3', t1.other, 'c1', [5, 4, 3]);
    beforeSnapshot = await answers(`minPosition=${position}`);
  }, 120_000);
  afterAll(() => kit?.close());

  it('builds a snapshot to a past time: live answers stay as they were and keep following new commands, the snapshot answers as of that time', async () => {
    const started = await kit.post('/admin/snapshots', operator, { id: 'before-fix', toTime });
    // Meanwhile, new commands on another tree.
    const t2 = await seedTree(kit, 't2');
    await campaign('c2', t2.ward);
    await shift('s9', t2.member, 'c2', [6, 5, 3]);
    const liveC2 = await get(`/campaigns/c2/progress?minPosition=${position}`);
    const job = await untilDone(started.body.id);
    const live = await answers(`minPosition=${position}`);
    const past = await answers('snapshot=before-fix');

    expect(started.status).toBe(202);
    expect(started.body).toEqual({ id: expect.any(String), snapshot: 'before-fix' });
    expect(job.state).toBe('done');
    expect(job.processed).toBe(job.total);
    expect(liveC2.body.totals.citizensAssisted).toBe(3);
    expect(live).toEqual(beforeSnapshot);
    expect(Object.values(live).some((answer) => 'snapshot' in (answer as Answers))).toBe(false);
    expect(withoutStamp(past)).toEqual(atT);
    expect(atT).not.toEqual(beforeSnapshot);
    for (const answer of Object.values(past))
      expect((answer as Answers).snapshot).toEqual({ id: 'before-fix', toTime });
  });

  it('lists snapshots, builds one from the rebuild route given a bound, and deletes them', async () => {
    const rebuild = await kit.post('/admin/projections/rebuild', operator, {
      toPosition: position,
    });
    await untilDone(rebuild.body.id);
    const list = await get('/admin/snapshots', operator);
    const progress = await get(`/campaigns/c1/progress?snapshot=${rebuild.body.snapshot}`);
    const deleted = await request(kit.server)
      .delete(`/admin/snapshots/${rebuild.body.snapshot}`)
      .set('Authorization', await kit.bearer(operator));
    const gone = await get(`/campaigns/c1/progress?snapshot=${rebuild.body.snapshot}`);

    expect(rebuild.status).toBe(202);
    expect(list.body.snapshots).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'before-fix', toTime, state: 'ready' }),
        expect.objectContaining({ id: rebuild.body.snapshot, toPosition: position }),
      ]),
    );
    expect(progress.body.snapshot).toEqual({ id: rebuild.body.snapshot, toPosition: position });
    expect(progress.body.position).toBe(position);
    expect(deleted.status).toBe(204);
    expect(gone.status).toBe(404);
  });

  it("counts a low snapshot's job against what it builds up to: done means processed == total", async () => {
    // given a log of many more events than the first five; when a snapshot to the fifth is built
    const [fifth] = await kit.sql<{ at: string }>(
      'SELECT global_position AS at FROM events ORDER BY global_position OFFSET 4 LIMIT 1',
    );
    const started = await kit.post('/admin/snapshots', operator, { toPosition: Number(fifth!.at) });
    const job = await untilDone(started.body.id);

    // then its job (GET /admin/jobs/:id) counted those five events, not the whole log's
    expect(await kit.totalEvents()).toBeGreaterThan(5);
    expect(job).toMatchObject({ state: 'done', processed: 5, total: 5 });
  });

  it('refuses unknown snapshots, ambiguous bounds and non-operators', async () => {
    const unknown = await get('/campaigns/c1/progress?snapshot=nope');
    const both = await kit.post('/admin/snapshots', operator, { toPosition: 1, toTime });
    const neither = await kit.post('/admin/snapshots', operator, {});
    const taken = await kit.post('/admin/snapshots', operator, { id: 'before-fix', toPosition: 1 });
    const byViewer = await kit.post('/admin/snapshots', viewer, { toTime });
    const deleteUnknown = await request(kit.server)
      .delete('/admin/snapshots/nope')
      .set('Authorization', await kit.bearer(operator));

    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(PROBLEM);
    expect(both.status).toBe(400);
    expect(neither.status).toBe(400);
    expect(neither.body.errors[0].field).toBe('toPosition');
    expect(taken.status).toBe(409);
    expect(byViewer.status).toBe(403);
    expect(deleteUnknown.status).toBe(404);
  });
});
