import { connect } from 'node:net';
import request from 'supertest';
import { createLogger, signToken } from '#platform';
import {
  hoursAgo,
  operator,
  seedTree,
  startCommandsKit,
  viewer,
} from '../commands/commands-kit.js';
import { logCollector } from './support/log-collector.js';
import { until } from './support/until.js';
import { TEST_JWT_SECRET } from './test-app.js';

type Line = Record<string, unknown> & { msg: string; level: number };

describe('the log of a run', () => {
  it('has one structured line per request, and never a name, a citizen reference or a token', async () => {
    // given the app logging JSON at info level, as it does when not on a terminal
    const { stream, lines } = logCollector();
    const kit = await startCommandsKit('request_log', {
      worker: true,
      log: createLogger({ level: 'info', format: 'json' }, stream),
    });
    const secrets: string[] = ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Thị Riêng Tư'];
    try {
      // when people use it: commands, personal data, a live stream with a token in its URL, refusals
      const ids = await seedTree(kit, 'l');
      await kit.post('/members', operator, {
        id: 'l-m3',
        unitId: ids.branch,
        displayName: 'Lê Thị Riêng Tư',
      });
      await kit.post('/shifts', operator, {
        id: 'l-s1',
        memberId: ids.member,
        location: 'TTHCC',
        startedAt: hoursAgo(2),
      });
      const citizenRef = 'CCCD-079203009999';
      secrets.push(citizenRef);
      await kit.post(
        '/shifts/l-s1/assistance',
        operator,
        { serviceType: 'eid_activation', occurredAt: hoursAgo(1), citizenRef },
        { 'Idempotency-Key': 'assist-1' },
      );
      const viewer = await signToken({ sub: 'screen-1', role: 'viewer' }, TEST_JWT_SECRET);
      secrets.push(viewer, (await kit.bearer(operator)).replace('Bearer ', ''));
      await request(kit.server).get(`/leaderboards/members?access_token=${viewer}`); // refused: 401
      const invalid = await kit.post('/members', operator, { unitId: ids.branch });
      expect(invalid.status).toBe(400);
      await kit.post('/shifts', operator, {
        memberId: ids.member,
        location: 'TTHCC',
        startedAt: hoursAgo(1.5),
      }); // overlaps: 422
      await request(kit.server)
        .get('/campaigns/nope/progress')
        .set('Authorization', `Bearer ${viewer}`);
      // and a dashboard asks for a position far ahead of the log
      await request(kit.server)
        .get('/units/nope/summary?minPosition=9223372036854775807')
        .set('Authorization', `Bearer ${viewer}`);
      // and paths no route matches carry a citizen's ID number and a member's name
      secrets.push('079999888777', 'Secret', 'Le%20Van');
      await request(kit.server)
        .get('/citizens/079999888777')
        .set('Authorization', await kit.bearer(operator));
      await request(kit.server)
        .delete('/members/Le%20Van%20Secret%ff/personal-data')
        .set('Authorization', await kit.bearer(operator));
      // and paths that begin with them, as a client that lost its base path sends them
      secrets.push('079203004321', 'Nguy%E1%BB%85n%20Th%E1%BB%8B%20Lost', 'x'.repeat(2_000));
      for (const path of ['/079203004321', '/Nguy%E1%BB%85n%20Th%E1%BB%8B%20Lost/shifts'])
        await request(kit.server)
          .get(path)
          .set('Authorization', await kit.bearer(operator));
      await request(kit.server).get(`/${'x'.repeat(2_000)}`);
      // and clients send a name with an ID number, a forged log line or an escape sequence where a
      // command's id belongs (the body's id or commandId, the Idempotency-Key header)
      secrets.push('Sai 079203007777', '"forged"', '[2Jcls', 'Khoa 079203008888');
      const notIds = [
        await kit.post('/members', operator, {
          id: 'Nguyễn Văn Sai 079203007777',
          unitId: ids.branch,
          displayName: 'Nguyễn Văn Sai',
        }),
        await kit.post('/shifts/l-s1/verify', operator, {
          commandId: 'v1\n{"level":60,"msg":"forged"}',
        }),
        await kit.post('/members', operator, {
          id: '\u001b[2Jcls',
          unitId: ids.branch,
          displayName: 'Lê Văn Xoá',
        }),
        await kit.post(
          '/members',
          operator,
          { unitId: ids.branch, displayName: 'Phạm Khoa' },
          { 'Idempotency-Key': 'Pham Khoa 079203008888' },
        ),
      ];
      expect(notIds.map((res) => res.status)).toEqual([400, 400, 400, 400]);
      // and an operator rebuilds a projection, which switches over when it has caught up
      const rebuild = await kit.post('/admin/projections/rebuild', operator, {
        projection: 'posting-cadence',
      });
      expect(rebuild.status).toBe(202);
      for (let state = 'running'; state === 'running';) {
        const job = await request(kit.server)
          .get(`/admin/jobs/${rebuild.body.id}`)
          .set('Authorization', await kit.bearer(operator));
        state = job.body.state;
        if (state === 'running') await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await kit.close();
    }
    const parsed = lines().map((line) => JSON.parse(line) as Line);
    const requests = parsed.filter((l) => typeof l.route === 'string');

    // then each request has its line: route pattern, status, duration, actor, command id, problem type
    expect(requests.find((l) => l.route === '/shifts/:id/assistance')).toMatchObject({
      method: 'POST',
      status: 201,
      durationMs: expect.any(Number),
      actor: { sub: 'op-1', role: 'operator' },
      commandId: 'assist-1',
    });
    expect(requests.find((l) => l.status === 422)).toMatchObject({
      route: '/shifts',
      problem: expect.stringContaining('shift-overlaps'),
    });
    expect(requests.find((l) => l.status === 400)).toMatchObject({
      route: '/members',
      problem: expect.stringContaining('validation'),
    });
    // and a refused request's "id" that is none is not written as its command id
    expect(requests.filter((l) => l.status === 400 && l.commandId !== undefined)).toEqual([]);
    expect(requests.find((l) => l.status === 401)).toMatchObject({
      route: '/leaderboards/members',
    });
    expect(requests.find((l) => l.status === 404)).toMatchObject({
      route: '/campaigns/:id/progress',
      actor: { sub: 'screen-1', role: 'viewer' },
    });
    // and the read it could not wait for is a warning, not an error for the operator's alerts
    expect(requests.find((l) => l.status === 504)).toMatchObject({ level: 40 });
    // and a path without a route is logged by its first segment only
    expect(requests.filter((l) => l.route === '/citizens/…')).toHaveLength(1);
    expect(requests.find((l) => l.route === '/members/…')).toMatchObject({ status: 400 });
    // and one whose first segment no route begins with, by none of it
    expect(requests.filter((l) => l.route === '/…').map((l) => l.status)).toEqual([404, 404, 404]);
    // and the rebuild and its switch-over have a line each
    expect(parsed.find((l) => /^rebuild .* started: posting-cadence$/.test(l.msg))).toBeDefined();
    expect(parsed.find((l) => /caught up and is now live$/.test(l.msg))).toBeDefined();
    // and Nest's start-up chatter (a line per route mapped) stays out of an info-level log
    expect(parsed.filter((l) => l.context === 'RouterExplorer')).toEqual([]);
    // and nothing personal or secret was written anywhere in the log
    const text = lines().join('\n');
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toContain('access_token');
  }, 120_000);

  it('logs a live stream its client closed at info, as the normal end it is', async () => {
    // given the app logging JSON at info level, and a dashboard's live stream open
    const { stream, lines } = logCollector();
    const kit = await startCommandsKit('request_log_stream', {
      worker: false,
      log: createLogger({ level: 'info', format: 'json' }, stream),
    });
    try {
      const token = (await kit.bearer(viewer)).replace('Bearer ', '');
      const socket = connect(Number(new URL(await kit.url()).port), '127.0.0.1', () =>
        socket.write(`GET /events/live?access_token=${token} HTTP/1.1\r\nHost: x\r\n\r\n`),
      );
      socket.on('error', () => undefined);
      let received = '';
      socket.on('data', (chunk) => (received += chunk.toString()));
      await until(() => received.includes('event: ready'), 5_000);

      // when its tab is closed
      socket.destroy();
      const streamLine = () =>
        lines()
          .map((l) => JSON.parse(l) as Line)
          .find((l) => l.route === '/events/live');
      await until(() => streamLine() !== undefined, 5_000);

      // then its line says the client left (499), at info: not a warning for every closed tab
      expect(streamLine()).toMatchObject({ status: 499, level: 30 });
    } finally {
      await kit.close();
    }
  });
});
