import {
  campaignProgress,
  getJob,
  liveReadModel,
  READS,
  startRebuild,
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

  it('rebuilds up to a position, and keeps the read model at that point while the log grows', async () => {
    await f.settle();
    const events = await f.store.readAll({ maxCount: 100_000 });
    const cut = events[Math.floor(events.length / 2)]!.globalPosition;
    const campaignEventsUpToCut = events.filter(
      (e) => e.globalPosition <= cut && e.type === 'CitizenAssisted',
    );

    const job = await runJob(
      await startRebuild(f.pool, projections, {
        projection: 'volunteer-activity',
        toPosition: cut,
      }),
    );
    await f.append('shift-late', 'ShiftStarted', {
      shiftId: 'late',
      memberId: 'm1',
      campaignId: 'c0',
      location: 'x',
      startedAt: '2025-01-09T08:00:00+07:00',
    });
    await f.settle();

    const model = await liveReadModel(f.pool, READS.campaignProgress);
    const { rows } = await f.pool.query(
      `SELECT count(*)::int AS n FROM ${model.schema}.assistance`,
    );
    const { rows: late } = await f.pool.query(
      `SELECT count(*)::int AS n FROM ${model.schema}.shifts WHERE shift_id = 'late'`,
    );
    expect(job.state).toBe('done');
    expect(rows[0].n).toBe(campaignEventsUpToCut.length);
    expect(late[0].n).toBe(0);
    expect((await f.runner.status()).find((s) => s.name === 'volunteer-activity')).toMatchObject({
      state: 'pinned',
      lag: 0,
    });
  });

  it('rebuilds up to a time by when events were recorded', async () => {
    const events = await f.store.readAll({ maxCount: 100_000 });
    const toTime = new Date('2025-03-01T00:00:00Z');
    const recordedBefore = events.filter(
      (e) => e.type === 'PostPublished' && Date.parse(e.metadata.recordedAt) <= toTime.getTime(),
    );

    const job = await runJob(
      await startRebuild(f.pool, projections, { projection: 'posting-cadence', toTime }),
    );
    const model = await liveReadModel(f.pool, READS.postingCadence);
    const { rows } = await f.pool.query(
      `SELECT count(*)::int AS n FROM ${model.schema}.cadence_posts`,
    );

    expect(job.state).toBe('done');
    expect(recordedBefore.length).toBeGreaterThan(0);
    expect(rows[0].n).toBe(recordedBefore.length);
  });
});
