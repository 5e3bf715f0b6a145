import {
  auditTrailProjection,
  campaignProgress,
  deleteSnapshot,
  getJob,
  getSnapshot,
  liveReadModel,
  READS,
  ReadModelReader,
  SnapshotConflict,
  SnapshotNotFound,
  startRebuild,
  startSnapshot,
  projections,
  volunteerActivityProjection,
} from '#projections';
import { activityWaves, appendWaves } from '../../libs/projections/src/demo/activity-generator.js';
import { dumpLive } from './support/dump.js';
import { projectionFixture, type Fixture } from './support/projection-fixture.js';

describe('rebuilding projections', () => {
  let f: Fixture;
  let total: number;

  beforeAll(async () => {
    // small batches so that shifts straddle batch boundaries while the live slots follow the appends
    f = await projectionFixture('proj_rebuild', { batchSize: 97 });
    f.runner.start();
    const appended = await appendWaves(
      f.store,
      activityWaves({
        targetEvents: 4_000,
        members: 60,
        campaigns: 3,
        concurrentShifts: 40,
        seed: 11,
      }),
    );
    total = appended.events;
    f.track(appended.lastPosition);
    await f.runner.stop();
  });
  afterAll(() => f.close());

  const runJob = async (id: string) => {
    for (let i = 0; i < 2_000; i++) {
      await f.runner.runOnce();
      const job = (await getJob(f.pool, id))!;
      if (job.state !== 'running') return job;
    }
    throw new Error('rebuild did not finish');
  };

  it('rebuilds every projection from scratch into exactly the read models built live', async () => {
    await f.settle();
    const live = await dumpLive(f.pool);
    const before = await liveReadModel(f.pool, READS.campaignProgress);

    const job = await runJob(await startRebuild(f.pool, projections, {}, total));
    const after = await liveReadModel(f.pool, READS.campaignProgress);

    expect(job).toMatchObject({ state: 'done', processed: total });
    expect(after.schema).not.toBe(before.schema);
    expect(Object.values(live).reduce((n, rows) => n + rows.length, 0)).toBeGreaterThan(1_000);
    expect(await dumpLive(f.pool)).toEqual(live);
  });

  it('rebuilds a new version beside the live one, answering reads from the old one until it has caught up', async () => {
    await f.settle();
    const live = await dumpLive(f.pool);
    const old = await liveReadModel(f.pool, READS.campaignProgress);
    const v2 = { ...volunteerActivityProjection, version: volunteerActivityProjection.version + 1 };
    const upgraded = projections.map((p) => (p.name === v2.name ? v2 : p));
    const { ProjectionRunner } = await import('#projections');
    const runner = new ProjectionRunner(f.pool, f.store, upgraded, {
      batchSize: 500,
      batchesPerTurn: 1,
    });

    await runner.prepare();
    await runner.runOnce(); // one batch of the new version: not caught up yet
    expect((await liveReadModel(f.pool, READS.campaignProgress)).schema).toBe(old.schema);
    expect(await campaignProgress(f.pool, old.schema, 'c0')).not.toBeNull();
    await runner.catchUp();

    expect((await liveReadModel(f.pool, READS.campaignProgress)).schema).toBe(
      `rm_volunteer_activity_v${v2.version}_g0`,
    );
    expect(await dumpLive(f.pool)).toEqual(live);
  });

  it("gives the live slots a turn after each of a rebuild's turns, and goes on from the batch read ahead", async () => {
    // given a rebuild of one projection from scratch, and a runner whose jobs' turns end at once
    await f.settle();
    const { ProjectionRunner } = await import('#projections');
    const runner = new ProjectionRunner(f.pool, f.store, projections, {
      batchSize: 500,
      jobTurnMs: 0,
    });
    const id = await startRebuild(f.pool, projections, { projection: 'posting-cadence' }, total);
    const slotAt = async () =>
      (
        await f.pool.query<{ position: string }>(
          `SELECT position FROM projection_checkpoints WHERE job_id = $1`,
          [id],
        )
      ).rows.map((row) => BigInt(row.position));
    const events = await f.store.readAll({ maxCount: 1_000 });

    // when the runner makes two passes
    await runner.runOnce();
    const afterOne = await slotAt();
    await runner.runOnce();
    const afterTwo = await slotAt();
    const job = await runJob(id); // finished before any expectation, so that a failure here stays here

    // then each pass moved the rebuild one batch (on batches alone it ran 20 in a turn), and the
    // rebuild still finished
    expect(afterOne).toEqual([events[499]!.globalPosition]);
    expect(afterTwo).toEqual([events[999]!.globalPosition]);
    expect(job.state).toBe('done');
  });

  it('gives one job a turn in a pass, each in turn, however many are building', async () => {
    // given two jobs building at once (rebuilds of two projections), and a runner whose jobs' turns
    // end at once
    await f.settle();
    const { ProjectionRunner } = await import('#projections');
    const runner = new ProjectionRunner(f.pool, f.store, projections, {
      batchSize: 500,
      jobTurnMs: 0,
    });
    const ids = [
      await startRebuild(f.pool, projections, { projection: 'posting-cadence' }, total),
      await startRebuild(f.pool, projections, { projection: 'programmes-skills' }, total),
    ];
    const moved = async () =>
      (
        await f.pool.query<{ job_id: string; position: string }>(
          `SELECT job_id, position FROM projection_checkpoints WHERE job_id = ANY($1)`,
          [ids],
        )
      ).rows
        .filter((row) => row.position !== '0')
        .map((row) => row.job_id);

    // when the runner makes two passes
    await runner.runOnce();
    const afterOne = await moved();
    await runner.runOnce();
    const afterTwo = await moved();
    const jobs = [await runJob(ids[0]!), await runJob(ids[1]!)];

    // then the first pass moved one job and the second the other (a turn for every job in every
    // pass kept the live slots waiting for all of them), and both finished
    expect(afterOne).toHaveLength(1);
    expect(afterTwo.sort()).toEqual([...ids].sort());
    expect(jobs.map((job) => job.state)).toEqual(['done', 'done']);
  });

  it("looks a shift's assistance up by index while a slot is still being built", async () => {
    await f.settle();
    const id = await startRebuild(f.pool, projections, { projection: 'volunteer-activity' }, total);
    await f.runner.runOnce(); // a few batches: the new slot has not caught up
    const { rows: slots } = await f.pool.query<{ schema_name: string; indexed: boolean }>(
      `SELECT schema_name, indexed FROM projection_checkpoints WHERE job_id = $1`,
      [id],
    );

    const { rows: indexes } = await f.pool.query<{ indexdef: string }>(
      `SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = 'assistance'`,
      [slots[0]!.schema_name],
    );
    const job = await runJob(id); // finished before any expectation, so that a failure here stays here

    // a verdict reads its shift's assistance: without the index, every such batch of a rebuild
    // scanned all the assistance before it
    expect(slots).toEqual([expect.objectContaining({ indexed: false })]);
    expect(indexes.map((i) => i.indexdef)).toContainEqual(expect.stringMatching(/\(shift_id\)$/));
    expect(job.state).toBe('done');
  });

  it('gives a rebuilt slot the statistics its reads are planned with as it goes live', async () => {
    // given a rebuild of the audit trail, whose tables are filled from empty
    await f.settle();
    const id = await startRebuild(f.pool, projections, { projection: 'audit-trail' }, total);

    // when it has caught up and gone live
    const job = await runJob(id);
    const audit = await liveReadModel(f.pool, READS.auditTrail);
    const { rows: tables } = await f.pool.query<{ relname: string; reltuples: number }>(
      `SELECT relname, reltuples FROM pg_class WHERE relnamespace = $1::regnamespace AND relkind = 'r'`,
      [audit.schema],
    );

    // then every table has been analysed (reltuples -1: never; the planner then guesses, and picked a
    // parallel scan of every shift for one member's audit hours) without waiting for autovacuum
    expect(job.state).toBe('done');
    expect(tables.map((t) => t.relname).sort()).toEqual([...auditTrailProjection.tables].sort());
    expect(tables.filter((t) => t.reltuples < 0)).toEqual([]);
    expect(tables.find((t) => t.relname === 'audit_shifts')!.reltuples).toBeGreaterThan(100);
  });

  it("marks a rebuilt slot's pages all-visible as it goes live, for the boards' index-only scans", async () => {
    // given a rebuild of volunteer-activity, whose member figures the boards read by index only
    await f.settle();
    const id = await startRebuild(f.pool, projections, { projection: 'volunteer-activity' }, total);

    // when it has caught up and gone live
    const job = await runJob(id);
    const live = await liveReadModel(f.pool, READS.leaderboards);
    const { rows: tables } = await f.pool.query<{
      relname: string;
      relpages: number;
      relallvisible: number;
    }>(
      `SELECT relname, relpages, relallvisible FROM pg_class WHERE relnamespace = $1::regnamespace AND relkind = 'r'`,
      [live.schema],
    );

    // then its tables were vacuumed as it went live: the pages written before the last batches are
    // in the visibility map, so an index-only scan of them reads no heap (without it, no page was
    // until autovacuum came by, a minute or more). Rows that a read still running (the read-ahead of
    // the next batch) might not see stay off the map until the next VACUUM.
    expect(job.state).toBe('done');
    const figures = tables.find((t) => t.relname === 'member_figures')!;
    expect(figures.relpages).toBeGreaterThan(10);
    expect(figures.relallvisible).toBeGreaterThan(figures.relpages / 2);
  });

  const snapshotSlot = async (snapshotId: string, projection: string) => {
    const { rows } = await f.pool.query<{ schema_name: string; state: string }>(
      `SELECT schema_name, state FROM projection_checkpoints WHERE snapshot_id = $1 AND projection = $2`,
      [snapshotId, projection],
    );
    return rows[0]!;
  };
  const count = async (schema: string, table: string, where = 'true') =>
    (await f.pool.query(`SELECT count(*)::int AS n FROM ${schema}.${table} WHERE ${where}`)).rows[0]
      .n as number;

  it('builds a snapshot up to a position beside the live read models, which keep following the log', async () => {
    await f.settle();
    const events = await f.store.readAll({ maxCount: 100_000 });
    const cut = events[Math.floor(events.length / 2)]!.globalPosition;
    const assistedUpToCut = events.filter(
      (e) => e.globalPosition <= cut && e.type === 'CitizenAssisted',
    ).length;
    const live = await liveReadModel(f.pool, READS.campaignProgress);

    const { jobId, snapshotId } = await startSnapshot(f.pool, f.store, projections, {
      id: 'half',
      toPosition: cut,
    });
    const reader = new ReadModelReader(f.pool);
    const read = (id: string) =>
      reader.readSnapshot(READS.campaignProgress, id, 'k', (sql, schema) =>
        campaignProgress(sql, schema, 'c0'),
      );
    const whileBuilding = await read(snapshotId).catch((error: Error) => error);
    const job = await runJob(jobId);
    await f.append('shift-late', 'ShiftStarted', {
      shiftId: 'late',
      memberId: 'm1',
      campaignId: 'c0',
      location: 'x',
      startedAt: '2025-01-09T08:00:00+07:00',
    });
    await f.settle();
    const slot = await snapshotSlot(snapshotId, 'volunteer-activity');

    expect(whileBuilding).toBeInstanceOf(SnapshotConflict);
    await expect(read('unknown')).rejects.toBeInstanceOf(SnapshotNotFound);
    expect(job.state).toBe('done');
    expect(await getSnapshot(f.pool, snapshotId)).toMatchObject({ state: 'ready' });
    expect((await read(snapshotId)).position).toBe(cut);
    expect(slot.state).toBe('snapshot');
    expect(await count(slot.schema_name, 'assistance')).toBe(assistedUpToCut);
    expect(await count(slot.schema_name, 'shifts', `shift_id = 'late'`)).toBe(0);
    expect((await liveReadModel(f.pool, READS.campaignProgress)).schema).toBe(live.schema);
    expect(await count(live.schema, 'shifts', `shift_id = 'late'`)).toBe(1);
    expect((await f.runner.status()).every((s) => s.state === 'live')).toBe(true);
  });

  it('builds a snapshot up to a time by when events were recorded, and deletes it', async () => {
    const events = await f.store.readAll({ maxCount: 100_000 });
    const toTime = new Date('2025-03-01T00:00:00Z');
    const recordedBefore = events.filter(
      (e) => e.type === 'PostPublished' && Date.parse(e.metadata.recordedAt) <= toTime.getTime(),
    );

    const { jobId, snapshotId } = await startSnapshot(f.pool, f.store, projections, { toTime });
    const job = await runJob(jobId);
    const slot = await snapshotSlot(snapshotId, 'posting-cadence');

    expect(job.state).toBe('done');
    expect(recordedBefore.length).toBeGreaterThan(0);
    expect(await count(slot.schema_name, 'cadence_posts')).toBe(recordedBefore.length);
    expect(await deleteSnapshot(f.pool, snapshotId)).toBe(true);
    expect(await getSnapshot(f.pool, snapshotId)).toBeNull();
    expect((await snapshotSlot(snapshotId, 'posting-cadence')).state).toBe('retired');
  });
});
