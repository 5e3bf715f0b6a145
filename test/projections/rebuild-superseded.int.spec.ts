import { getJob, startRebuild, projections } from '#projections';
import { activityWaves, appendWaves } from '../../libs/projections/src/demo/activity-generator.js';
import { projectionFixture, type Fixture } from './support/projection-fixture.js';

// A rebuild of one projection replaces only that projection's slot of an earlier rebuild of all of
// them; the earlier job's other slots go on and switch over. Its job must say so, not "failed".
describe('a rebuild superseded in part', () => {
  let f: Fixture;
  let total: number;

  beforeAll(async () => {
    f = await projectionFixture('proj_rebuild_superseded', { batchSize: 97 });
    const appended = await appendWaves(
      f.store,
      activityWaves({
        targetEvents: 800,
        members: 20,
        campaigns: 2,
        concurrentShifts: 10,
        seed: 5,
      }),
    );
    total = appended.events;
    f.track(appended.lastPosition);
    await f.settle();
  });
  afterAll(() => f.close());

  const runJobs = async (...ids: string[]) => {
    for (let i = 0; i < 2_000; i++) {
      await f.runner.runOnce();
      const jobs = await Promise.all(ids.map(async (id) => (await getJob(f.pool, id))!));
      if (jobs.every((job) => job.state !== 'running')) return jobs;
    }
    throw new Error('rebuilds did not finish');
  };

  it('keeps the job of every projection running, then done, when one projection is rebuilt anew', async () => {
    // given a rebuild of every projection, not yet started
    const everything = await startRebuild(f.pool, projections, {}, total);

    // when one of its projections is rebuilt again before it finishes
    const one = await startRebuild(f.pool, projections, { projection: 'audit-trail' }, total);

    // then the first job is still running, and both end done: each switched its slots over
    expect(await getJob(f.pool, everything)).toMatchObject({ state: 'running' });
    const [first, second] = await runJobs(everything, one);
    expect(first).toMatchObject({ state: 'done', processed: total });
    expect(first!.error).toBeUndefined();
    expect(second).toMatchObject({ state: 'done', processed: total });
  });

  it('fails a job whose every slot a newer rebuild replaced, naming that rebuild', async () => {
    // given a rebuild of one projection, not yet started
    const first = await startRebuild(f.pool, projections, { projection: 'posting-cadence' }, total);

    // when every projection is rebuilt before it finishes
    const everything = await startRebuild(f.pool, projections, {}, total);

    // then the first job failed, superseded by the second, which ends done
    const [old, newer] = await runJobs(first, everything);
    expect(old).toMatchObject({ state: 'failed', error: `superseded by job ${everything}` });
    expect(newer).toMatchObject({ state: 'done' });
  });
});
