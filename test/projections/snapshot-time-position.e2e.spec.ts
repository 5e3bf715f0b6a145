import pg from 'pg';
import request from 'supertest';
import {
  type CommandsKit,
  finishedJob,
  operator,
  startCommandsKit,
  viewer,
} from '../commands/commands-kit.js';

// API.md: a read's `position` says which commands it includes (a command's position at or below it).
// A snapshot to a past time must not claim the commands recorded after that time.
describe("a snapshot to a past time answers with its last event's position", () => {
  let kit: CommandsKit;
  let before: number;
  let after: number;
  let toTime: string;
  const unitsRead = async (snapshot: string) =>
    request(kit.server)
      .get(`/leaderboards/units?metric=citizensAssisted&snapshot=${snapshot}`)
      .set('Authorization', await kit.bearer(viewer));
  const snapshotTo = async (id: string, time: string) => {
    const started = await kit.post('/admin/snapshots', operator, { id, toTime: time });
    expect(started.status).toBe(202);
    expect((await finishedJob(kit, started.body.id)).state).toBe('done');
  };

  beforeAll(async () => {
    kit = await startCommandsKit('snapshot_time_position', { worker: true });
    before = (await kit.record('/units', { id: 'p-1', name: 'Đoàn phường 1', kind: 'ward' }))
      .position;
    toTime = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20)); // what follows is recorded after toTime
    after = (await kit.record('/units', { id: 'p-2', name: 'Đoàn phường 2', kind: 'ward' }))
      .position;
  }, 120_000);
  afterAll(() => kit?.close());

  it('answers with the last position recorded by then, not the head it was asked at', async () => {
    // given a unit recorded before toTime and one after; when a snapshot to toTime is read
    await snapshotTo('between', toTime);
    const read = await unitsRead('between');
    const listed = await request(kit.server)
      .get('/admin/snapshots')
      .set('Authorization', await kit.bearer(operator));

    // then its position is the first unit's, below the second's, and the list says the same
    expect(read.status).toBe(200);
    expect(read.body.position).toBe(before);
    expect(read.body.position).toBeLessThan(after);
    expect(read.body.entries.map((e: { unitId: string }) => e.unitId)).not.toContain('p-2');
    expect(listed.body.snapshots).toContainEqual(
      expect.objectContaining({ id: 'between', position: before }),
    );
  });

  it('answers with position 0 when nothing was recorded by then', async () => {
    // given a time before the first event; when a snapshot to it is read
    await snapshotTo('before-all', '2000-01-01T00:00:00Z');
    const read = await unitsRead('before-all');

    // then it includes no command, as a snapshot to position 0 does
    expect(read.status).toBe(200);
    expect(read.body.position).toBe(0);
    expect(read.body.entries).toEqual([]);
  });

  it('counts what was recorded by then while a transaction that began earlier holds the feed back', async () => {
    // given a transaction with an id, begun before a unit is recorded and still open when a snapshot
    // to a time after that unit is asked for: the feed's horizon stays below the unit meanwhile
    const holder = new pg.Client({ connectionString: kit.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_current_xact_id()');
      const held = (await kit.record('/units', { id: 'p-3', name: 'Đoàn phường 3', kind: 'ward' }))
        .position;
      const time = new Date(Date.now() + 1).toISOString();
      await new Promise((resolve) => setTimeout(resolve, 5)); // time has passed when it is asked for

      // when the snapshot is asked for meanwhile, and the transaction ends afterwards
      const started = await kit.post('/admin/snapshots', operator, { id: 'held', toTime: time });
      await holder.query('COMMIT');
      expect(started.status).toBe(202);
      expect((await finishedJob(kit, started.body.id)).state).toBe('done');

      // then the snapshot holds the unit and answers with its position
      const read = await unitsRead('held');
      expect(read.status).toBe(200);
      expect(read.body.position).toBe(held);
      expect(read.body.entries.map((e: { unitId: string }) => e.unitId)).toContain('p-3');
    } finally {
      await holder.end();
    }
  });
});
