import type { Actor } from '#platform';
import {
  hoursAgo,
  operator,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from './commands-kit.js';

/**
 * Erasing a data subject forgets the bodies of the commands that carried their personal data, so a
 * resend of such a command answers its first result whatever its body (no name oracle). That answer
 * belongs to the command that was recorded: the same id sent for another stream, or by a coordinator
 * who could never have sent the recorded one, is not a resend of it. Answering it anyway told the
 * caller "recorded" for a fact that was not, and handed them ids (and the erasure) of another subtree.
 */
describe('a command whose body was forgotten at an erasure answers only its own resends', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  let outsider: Actor;

  beforeAll(async () => {
    kit = await startCommandsKit('cmd_forgotten_resend');
    ids = await seedTree(kit, 'fr');
    // another ward with its own coordinator, member and open shift
    await kit.record('/units', {
      id: 'fr-ward2',
      name: 'Phường 2',
      kind: 'ward',
      parentId: ids.province,
    });
    await kit.record('/members', { id: 'fr-m9', unitId: 'fr-ward2', displayName: 'Hồ Văn Chín' });
    await kit.record('/shifts', {
      id: 'fr-s9',
      memberId: 'fr-m9',
      location: 'Bộ phận một cửa phường 2',
      startedAt: hoursAgo(5),
    });
    outsider = { sub: 'fr-coord2', role: 'coordinator', unitId: 'fr-ward2' };
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('given an assistance whose citizen was erased, when another ward records assistance on its own shift under that id, then 409 and not the first shift’s result', async () => {
    // given an assistance with a citizen's reference on a shift of the first ward, then the citizen erased
    await kit.record('/shifts', {
      id: 'fr-s1',
      memberId: ids.member,
      location: 'Bộ phận một cửa phường 1',
      startedAt: hoursAgo(5),
    });
    await kit.record('/shifts/fr-s1/assistance', {
      id: 'fr-a1',
      serviceType: 'chip_id_card',
      occurredAt: hoursAgo(4),
      citizenRef: 'CCCD-001099000111',
    });
    await kit.record('/citizens/personal-data', { citizenRef: 'CCCD-001099000111' }, 'delete');
    const before = await kit.streamLength('shift-fr-s9');

    // when the other ward's coordinator records assistance on their own shift with the same id
    const res = await kit.post('/shifts/fr-s9/assistance', outsider, {
      id: 'fr-a1',
      serviceType: 'other',
      occurredAt: hoursAgo(4),
    });

    // then the id is refused as used by another command, nothing of shift fr-s1 is answered
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('command_id_reused');
    expect(JSON.stringify(res.body)).not.toContain('fr-s1');
    expect(await kit.streamLength('shift-fr-s9')).toBe(before);
  });

  it('given the same erased assistance, when it is resent to its own shift with another body, then its first result', async () => {
    const first = await kit.post('/shifts/fr-s1/assistance', operator, {
      id: 'fr-a1',
      serviceType: 'other',
      occurredAt: hoursAgo(4),
    });

    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ id: 'fr-a1', streamId: 'shift-fr-s1', version: 1 });
  });

  it('given a member of the first ward enrolled then erased, when the other ward enrols that id in its own ward, then 403 and nothing is told of the first', async () => {
    await kit.record('/members', { id: 'fr-gone', unitId: ids.branch, displayName: 'Tạ Thị Gone' });
    await kit.record('/members/fr-gone/personal-data', undefined, 'delete');
    const before = await kit.totalEvents();

    const res = await kit.post('/members', outsider, {
      id: 'fr-gone',
      unitId: 'fr-ward2',
      displayName: 'Ai Đó',
    });

    expect(res.status).toBe(403);
    expect(res.body.code).toBe('outside_subtree');
    expect(await kit.totalEvents()).toBe(before);
  });

  it('given the same erased member, when a coordinator of their ward resends the enrolment with another name, then its first result', async () => {
    const coordinator: Actor = { sub: 'fr-coord1', role: 'coordinator', unitId: ids.ward };

    const res = await kit.post('/members', coordinator, {
      id: 'fr-gone',
      unitId: ids.branch,
      displayName: 'Tên Khác',
    });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: 'fr-gone', streamId: 'member-fr-gone', version: 0 });
  });
});
