import request from 'supertest';
import type { Actor } from '#platform';
import {
  auditor,
  hoursAgo,
  operator,
  recorded,
  seedTree,
  type CommandsKit,
} from '../commands/commands-kit.js';

export { auditor };

export type CheckpointJson = { treeSize: number; rootHash: string; signedAt: string; note: string };

/** GET as an actor. */
export async function get(kit: CommandsKit, path: string, actor: Actor): Promise<request.Response> {
  return request(kit.server)
    .get(path)
    .set('Authorization', await kit.bearer(actor));
}

/**
 * Waits until a checkpoint covering every stored event is signed (the worker appends and signs on
 * its own clock; the wait is on the tree size, not on time).
 */
export async function checkpointCoveringAll(kit: CommandsKit): Promise<CheckpointJson> {
  const total = await kit.totalEvents();
  for (;;) {
    const res = await get(kit, '/audit/log/checkpoints?fromSize=' + total, auditor);
    const found = (res.body as { checkpoints: CheckpointJson[] }).checkpoints?.[0];
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A unit tree, a member, and one shift of `hours` hours run to verification; returns the ids. */
export async function recordVerifiedShift(kit: CommandsKit, tag: string, hours: number) {
  const ids = await seedTree(kit, tag);
  const shiftId = `${tag}-s1`;
  const must = async (res: Promise<request.Response>) =>
    (await recorded(res)).body.position as number;
  await must(
    kit.post('/shifts', operator, {
      id: shiftId,
      memberId: ids.member,
      location: 'TTHCC',
      startedAt: hoursAgo(hours + 1),
    }),
  );
  await must(
    kit.post(`/shifts/${shiftId}/assistance`, operator, {
      id: `${tag}-a1`,
      serviceType: 'eid_activation',
      citizens: 2,
      occurredAt: hoursAgo(hours),
    }),
  );
  await must(kit.post(`/shifts/${shiftId}/end`, operator, { endedAt: hoursAgo(1) }));
  const position = await must(kit.post(`/shifts/${shiftId}/verify`, operator, {}));
  return { ...ids, shiftId, position };
}
