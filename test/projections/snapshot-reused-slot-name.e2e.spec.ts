import request from 'supertest';
import {
  aroundNow,
  finishedJob,
  hoursAgo,
  operator,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from '../commands/commands-kit.js';

// A deleted snapshot's slots are dropped after the grace period, and the next snapshot's slots take
// the same schema names (a slot's generation is the highest one left, plus one). The API kept a
// snapshot's answers under the schema name alone, so the new snapshot answered the old one's
// figures, with the old one's position: found by a crash probe comparing live answers with a
// snapshot to the same position, after an earlier cycle's snapshot had been deleted.
describe('a snapshot whose slots take the names of a deleted one', () => {
  let kit: CommandsKit;
  afterAll(() => kit?.close());

  it('answers its own figures and position, not the deleted snapshot’s', async () => {
    // given a campaign with one shift, a snapshot after it read once, and then deleted
    kit = await startCommandsKit('proj_snapshot_reuse', { worker: true });
    const t = await seedTree(kit, 'r');
    await kit.record('/campaigns', {
      id: 'r-c',
      unitId: t.ward,
      name: 'Cài VNeID',
      ...aroundNow(),
      dailyWindow: { from: '00:00', to: '24:00' },
    });
    const shift = async (id: string, memberId: string, citizens: number, startHoursAgo: number) => {
      await kit.record('/shifts', {
        id,
        memberId,
        campaignId: 'r-c',
        location: 'TTHCC',
        startedAt: hoursAgo(startHoursAgo),
      });
      return kit.record(`/shifts/${id}/assistance`, {
        id: `${id}-a`,
        serviceType: 'eid_activation',
        citizens,
        occurredAt: hoursAgo(startHoursAgo - 1),
      });
    };
    const early = await shift('r-s1', t.member, 3, 20);
    const late = await shift('r-s2', t.other, 5, 10);
    const read = async (snapshot: string) =>
      request(kit.server)
        .get(`/campaigns/r-c/progress?snapshot=${snapshot}`)
        .set('Authorization', await kit.bearer(operator));
    const build = async (id: string, toPosition: number) => {
      const started = await kit.post('/admin/snapshots', operator, { id, toPosition });
      expect((await finishedJob(kit, started.body.id)).state).toBe('done');
    };
    await build('first', late.position);
    const first = await read('first');
    const slotsOfFirst = await kit.sql<{ schema_name: string }>(
      `SELECT schema_name FROM projection_checkpoints WHERE snapshot_id = 'first' ORDER BY 1`,
    );
    await request(kit.server)
      .delete('/admin/snapshots/first')
      .set('Authorization', await kit.bearer(operator));
    // the grace period over: the runner drops the retired slots on its next pass
    await kit.sql(
      `UPDATE projection_checkpoints SET updated_at = now() - interval '1 hour' WHERE state = 'retired'`,
    );
    while ((await kit.sql(`SELECT 1 FROM projection_checkpoints WHERE state = 'retired'`)).length)
      await new Promise((resolve) => setTimeout(resolve, 100));

    // when a snapshot to the earlier position is built in the same schema names
    await build('second', early.position);
    const slotsOfSecond = await kit.sql<{ schema_name: string }>(
      `SELECT schema_name FROM projection_checkpoints WHERE snapshot_id = 'second' ORDER BY 1`,
    );
    const second = await read('second');

    // then it answers as of its own bound
    expect(slotsOfSecond).toEqual(slotsOfFirst);
    expect(first.body.totals.citizensAssisted).toBe(8);
    expect(second.status).toBe(200);
    expect(second.body.snapshot).toEqual({ id: 'second', toPosition: early.position });
    expect(second.body.position).toBe(early.position);
    expect(second.body.totals.citizensAssisted).toBe(3);
  }, 120_000);
});
