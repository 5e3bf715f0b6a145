import pg from 'pg';
import { streamLock } from '#event-store';
import type { Actor } from '#platform';
import {
  hoursAgo,
  operator,
  PROBLEM,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from './commands-kit.js';

/**
 * API.md "Who may do what": a coordinator starts shifts only for members of their subtree. A shift
 * start looks its member up to authorize the caller, then decides on the member as read under the
 * member stream's lock. When the member did not exist at the first look, nothing was authorized, and
 * an enrolment landing between the two (in another district) let the decision record the shift: a
 * coordinator who kept starting shifts for a member id about to be enrolled elsewhere got one in.
 * Here the enrolment is made to land exactly there: the test holds the member stream's lock, so the
 * enrolment queues for it first and the shift start behind it.
 */
describe('a shift start for a member enrolled meanwhile outside the subtree', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  let pool: pg.Pool;
  const outsider: Actor = { sub: 'ra-coord2', role: 'coordinator', unitId: 'ra-ward2' };

  beforeAll(async () => {
    kit = await startCommandsKit('cmd_start_enrol_race');
    ids = await seedTree(kit, 'ra');
    await kit.record('/units', {
      id: 'ra-ward2',
      name: 'Phường 2',
      kind: 'ward',
      parentId: ids.province,
    });
    pool = new pg.Pool({ connectionString: kit.databaseUrl, max: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await kit?.close();
  });

  it('given the member unknown when the start is authorized, when the enrolment lands in another ward before the decision, then 403 and no shift', async () => {
    const holder = await pool.connect();
    let enrolment: Promise<{ status: number }> | undefined;
    let start: ReturnType<CommandsKit['post']> | undefined;
    try {
      // given the member's stream held, an enrolment in the first ward waiting for it
      await holder.query('BEGIN');
      await holder.query(`SELECT ${streamLock('$1')}`, ['member-ra-late']);
      enrolment = kit.post('/members', operator, {
        id: 'ra-late',
        unitId: ids.branch,
        displayName: 'Phạm Văn Muộn',
      });
      enrolment.catch(() => undefined);
      await untilAdvisoryLocksAwaited(pool, 1);

      // when the other ward's coordinator starts a shift for that member id meanwhile
      start = kit.post('/shifts', outsider, {
        id: 'ra-shift',
        memberId: 'ra-late',
        location: 'Nhà văn hoá khu phố 2',
        startedAt: hoursAgo(1),
      });
      start.catch(() => undefined);
      await untilAdvisoryLocksAwaited(pool, 2);
    } finally {
      await holder.query('COMMIT');
      holder.release();
    }

    // then the member is enrolled in the first ward, and the outsider's shift is refused
    expect((await enrolment).status).toBe(201);
    const res = await start;
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ status: 403, code: 'outside_subtree' });
    expect(await kit.streamLength('shift-ra-shift')).toBe(0);
  });
});

/** Resolves once `count` sessions of the database wait for an advisory lock; fails after 10 s. */
async function untilAdvisoryLocksAwaited(pool: pg.Pool, count: number): Promise<void> {
  for (const started = Date.now(); Date.now() - started < 10_000;) {
    const { rows } = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    if (Number(rows[0]!.n) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`fewer than ${count} commands waited for the member's lock`);
}
