import request from 'supertest';
import type { Actor } from '#platform';
import {
  auditor,
  type CommandsKit,
  finishedJob,
  hoursAgo,
  operator,
  seedTree,
  startCommandsKit,
} from '../commands/commands-kit.js';

/**
 * A snapshot built before a member's erasure keeps their sealed name and no MemberDataErased: the
 * erasure destroyed the key, so the name no longer opens. Every read route must then say the same
 * thing about that member: the member list said "(erased)", while the leaderboards and the audit
 * hours (JSON and CSV) answered a displayName of null, or an empty cell.
 */
describe('a member erased after a snapshot was built, read from that snapshot', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  const get = (path: string, actor: Actor = auditor) => kit.send('get', path, actor);

  beforeAll(async () => {
    kit = await startCommandsKit('erased_in_snapshot', { worker: true });
    ids = await seedTree(kit, 'es');
    await kit.record('/shifts', {
      id: 'es-s1',
      memberId: ids.member,
      location: 'x',
      startedAt: hoursAgo(3),
    });
    await kit.record('/shifts/es-s1/assistance', {
      serviceType: 'eid_activation',
      occurredAt: hoursAgo(2),
    });
    const { position } = await kit.record('/shifts/es-s1/end', { endedAt: hoursAgo(1) });
    const built = await kit.post('/admin/snapshots', operator, {
      id: 'es-before',
      toPosition: position,
    });
    expect((await finishedJob(kit, built.body.id)).state).toBe('done');
    await kit.record(`/members/${ids.member}/personal-data`, undefined, 'delete');
  });
  afterAll(() => kit?.close());

  it('shows the member as "(erased)" on every read route', async () => {
    // given the snapshot es-before, built while the member's name could still be opened
    // when the routes that show member names are read from it after the erasure
    const q = 'snapshot=es-before';
    const list = await get(`/members?unitId=${ids.branch}&${q}`);
    const board = await get(`/leaderboards/members?metric=citizensAssisted&${q}`);
    const hours = await get(`/audit/members/${ids.member}/hours?${q}`);
    const csv = await request(kit.server)
      .get(`/audit/members/${ids.member}/hours?${q}`)
      .set('Authorization', await kit.bearer(auditor))
      .set('Accept', 'text/csv');

    // then each names the member the same way
    const named = (entries: { memberId: string; displayName: unknown }[]) =>
      entries.find((e) => e.memberId === ids.member)?.displayName;
    expect(named(list.body.members)).toBe('(erased)');
    expect(named(board.body.entries)).toBe('(erased)');
    expect(hours.body.displayName).toBe('(erased)');
    expect(csv.text.split('\r\n')[1]).toMatch(new RegExp(`^${ids.member},\\(erased\\),`));
  });
});
