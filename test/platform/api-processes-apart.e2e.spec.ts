import pg from 'pg';
import { signToken } from '#platform';
import { createTestDatabase } from '../harness/database.js';
import {
  buildApi,
  post,
  send,
  startApiProcess,
  type Answer,
  type ApiProcess,
} from './support/api-process.js';

const SECRET = 'api-processes-apart-test-secret';
const ago = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const window = { from: '00:00', to: '23:59' };

/**
 * Two API processes started apart on one database (RUN_WORKER=false) and the worker in a third, as
 * docker/compose.yml deploys them scaled out. Each process keeps folded stream states and the unit
 * tree in memory; what one records must be seen by the other's next decision, not what it had folded.
 */
describe('two API processes started apart on one database, with the worker apart', () => {
  let a: ApiProcess;
  let b: ApiProcess;
  let drop: () => Promise<void>;
  let databaseUrl: string;
  let token: string;

  beforeAll(async () => {
    buildApi();
    const db = await createTestDatabase('api_processes_apart');
    drop = db.drop;
    databaseUrl = db.url;
    a = await startApiProcess(db.url, SECRET, { worker: 'apart' });
    b = await startApiProcess(db.url, SECRET, { env: { RUN_WORKER: 'false' } });
    token = await signToken({ sub: 'op', role: 'operator' }, SECRET);
    expect(
      (await post(a.url, token, '/units', { id: 'ward', name: 'Ward', kind: 'ward' })).status,
    ).toBe(201);
  }, 300_000);

  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await drop?.();
  });

  it('takes a member through one process into a unit registered through the other a moment before, for a coordinator of that unit too', async () => {
    // given: a unit and a subunit registered through A
    expect(
      (
        await post(a.url, token, '/units', {
          id: 'u1',
          name: 'Team',
          kind: 'branch',
          parentId: 'ward',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await post(a.url, token, '/units', {
          id: 'u1a',
          name: 'Cell',
          kind: 'branch',
          parentId: 'u1',
        })
      ).status,
    ).toBe(201);
    const coordinator = await signToken({ sub: 'c1', role: 'coordinator', unitId: 'u1' }, SECRET);

    // when: members of them are enrolled through B at once, by an operator and by the unit's coordinator
    const byOperator = await post(b.url, token, '/members', {
      id: 'm1',
      unitId: 'u1',
      displayName: 'Lan',
    });
    const byCoordinator = await post(b.url, coordinator, '/members', {
      id: 'm2',
      unitId: 'u1a',
      displayName: 'Minh',
    });

    // then: both are recorded
    expect([byOperator.status, byCoordinator.status]).toEqual([201, 201]);
  });

  it('refuses through one process a shift in a campaign the other closed, and for a member the other erased, though it had both folded', async () => {
    // given: a campaign and a member that B has folded (it recorded a shift of the member in the campaign)
    expect(
      (await post(a.url, token, '/members', { id: 'm3', unitId: 'ward', displayName: 'Hoa' }))
        .status,
    ).toBe(201);
    const campaign = {
      id: 'c1',
      unitId: 'ward',
      name: 'Drive',
      startDate: day(-30),
      endDate: day(30),
      dailyWindow: window,
    };
    expect((await post(a.url, token, '/campaigns', campaign)).status).toBe(201);
    expect(
      (
        await post(b.url, token, '/shifts', {
          id: 's1',
          memberId: 'm3',
          campaignId: 'c1',
          location: 'hall',
          startedAt: ago(5),
        })
      ).status,
    ).toBe(201);
    expect((await post(b.url, token, '/shifts/s1/end', { endedAt: ago(4) })).status).toBe(201);

    // when: A closes the campaign, then B is asked for a shift in it; A erases the member, then B is
    // asked for a shift of theirs
    expect((await post(a.url, token, '/campaigns/c1/close', {})).status).toBe(201);
    const inClosed = await post(b.url, token, '/shifts', {
      id: 's2',
      memberId: 'm3',
      campaignId: 'c1',
      location: 'hall',
      startedAt: ago(3),
    });
    expect((await send(a.url, token, 'DELETE', '/members/m3/personal-data')).status).toBe(201);
    const ofErased = await post(b.url, token, '/shifts', {
      id: 's3',
      memberId: 'm3',
      location: 'hall',
      startedAt: ago(2),
    });

    // then: both are refused as the domain rules say, as problem+json, and nothing is appended
    expect([inClosed.status, inClosed.body.code]).toEqual([422, 'campaign_closed']);
    expect([ofErased.status, ofErased.body.code]).toEqual([422, 'member_erased']);
    for (const refusal of [inClosed, ofErased])
      expect(refusal.type).toMatch(/^application\/problem\+json/);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT 1 FROM events WHERE stream_id IN ('shift-s2', 'shift-s3')`,
      );
      expect(rows).toHaveLength(0);
    } finally {
      await client.end();
    }
  });

  it('records the same command sent through both processes at once once, and answers both alike', async () => {
    // given: a member with an open shift
    expect(
      (await post(a.url, token, '/members', { id: 'm4', unitId: 'ward', displayName: 'Tuan' }))
        .status,
    ).toBe(201);
    expect(
      (
        await post(a.url, token, '/shifts', {
          id: 's4',
          memberId: 'm4',
          location: 'hall',
          startedAt: ago(3),
        })
      ).status,
    ).toBe(201);

    // when: 20 commands are each sent through A and B at once (a creation by its body id, an assistance
    // by its id, a creation by its Idempotency-Key)
    const pairs: [Answer, Answer][] = [];
    for (let i = 0; i < 20; i++) {
      const [path, body, headers] =
        i % 3 === 0
          ? ['/members', { id: `mm${i}`, unitId: 'ward', displayName: 'Ha' }, {}]
          : i % 3 === 1
            ? [
                '/shifts/s4/assistance',
                { id: `a${i}`, serviceType: 'other', occurredAt: ago(2) },
                {},
              ]
            : [
                '/units',
                { name: `Team ${i}`, kind: 'branch', parentId: 'ward' },
                { 'idempotency-key': `k${i}` },
              ];
      pairs.push(
        await Promise.all([
          post(a.url, token, path, body, headers),
          post(b.url, token, path, body, headers),
        ]),
      );
    }

    // then: every pair is two 201 with one answer, and each answer's stream holds its one event
    for (const [first, second] of pairs) {
      expect([first.status, second.status]).toEqual([201, 201]);
      expect(second.body).toEqual(first.body);
    }
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const created = pairs.filter((_, i) => i % 3 !== 1).map(([first]) => first.body.streamId);
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM events WHERE stream_id = ANY($1)`,
        [created],
      );
      expect(rows[0]!.n).toBe(created.length);
      const assisted = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM events WHERE stream_id = 'shift-s4' AND type = 'CitizenAssisted'`,
      );
      expect(assisted.rows[0]!.n).toBe(pairs.filter((_, i) => i % 3 === 1).length);
    } finally {
      await client.end();
    }
  });

  it('answers a read through one process, given the position of a command recorded through the other, with its effect', async () => {
    // given: a unit whose members are enrolled through A and B in turn
    expect(
      (
        await post(a.url, token, '/units', {
          id: 'u5',
          name: 'Five',
          kind: 'branch',
          parentId: 'ward',
        })
      ).status,
    ).toBe(201);

    for (let i = 0; i < 6; i++) {
      const [writer, reader] = i % 2 ? [a, b] : [b, a];
      const enrolled = await post(writer.url, token, '/members', {
        id: `m5-${i}`,
        unitId: 'u5',
        displayName: 'Vy',
      });

      // when: the other process is asked for the unit's summary at that position (asked again after a
      // 504, which says the worker apart had not reached it in 5 s)
      const read = () =>
        send(reader.url, token, 'GET', `/units/u5/summary?minPosition=${enrolled.body.position}`);
      let summary = await read();
      for (let retries = 0; summary.status === 504 && retries < 10; retries++)
        summary = await read();

      // then: it counts the member just enrolled
      expect([summary.status, summary.body.members]).toEqual([200, i + 1]);
    }
  });
});
