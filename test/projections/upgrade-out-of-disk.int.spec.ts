import {
  getJob,
  liveReadModel,
  ProjectionRunner,
  projections,
  READS,
  volunteerActivityProjection,
  type Projection,
} from '#projections';
import { activityWaves, appendWaves } from '../../libs/projections/src/demo/activity-generator.js';
import { dumpLive } from './support/dump.js';
import { projectionFixture, type Fixture } from './support/projection-fixture.js';

/**
 * Found by reading after probing a full disk: a job that runs out of disk or memory fails, so that
 * dropping its slots gives the room back (a snapshot, a rebuild). A version upgrade, though, is made
 * only when the worker starts: failed, it was not made again until the process restarted, and every
 * read of the new version answered 503 read_model_upgrading ("being built beside it") meanwhile.
 */
describe('a version upgrade whose job runs out of disk', () => {
  let f: Fixture;

  beforeAll(async () => {
    f = await projectionFixture('proj_upgrade_no_room');
    f.runner.start();
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
    f.track(appended.lastPosition);
    await f.runner.stop();
  });
  afterAll(() => f.close());

  it('is made again once it may have room, without a restart, and switches over', async () => {
    // given the live read models, and a new version of one projection whose first batch meets a
    // full disk (PostgreSQL's disk_full, 53100, as a write beyond the disk's room gets it)
    await f.settle();
    const live = await dumpLive(f.pool);
    let full = true;
    const v2: Projection = {
      ...volunteerActivityProjection,
      version: volunteerActivityProjection.version + 1,
      apply: async (batch, tx) => {
        if (full) {
          full = false;
          await tx.sql.query(
            `DO $$ BEGIN RAISE EXCEPTION 'could not extend file: No space left on device'
               USING ERRCODE = 'disk_full'; END $$`,
          );
        }
        return volunteerActivityProjection.apply(batch, tx);
      },
    };
    const upgraded = projections.map((p) => (p.name === v2.name ? v2 : p));
    const runner = new ProjectionRunner(f.pool, f.store, upgraded, { upgradeRetryMs: 0 });
    const jobId = `upgrade-${v2.name}-v${v2.version}`;

    // when the worker of the new version starts, and its upgrade fails on the full disk
    await runner.prepare();
    for (let i = 0; i < 50 && (await getJob(f.pool, jobId))?.state === 'running'; i++)
      await runner.runOnce();
    const failed = await getJob(f.pool, jobId);
    expect(failed).toMatchObject({ state: 'failed' });
    expect(failed!.error).toContain('No space left on device');

    // and the worker goes on running (the disk has room again)
    await runner.catchUp();

    // then the upgrade was made again and switched over: the new version answers, as the old did
    expect((await liveReadModel(f.pool, READS.campaignProgress)).schema).toMatch(
      new RegExp(`^rm_volunteer_activity_v${v2.version}_g\\d+$`),
    );
    expect(await getJob(f.pool, jobId)).toMatchObject({ state: 'done' });
    expect(await dumpLive(f.pool)).toEqual(live);
  });
});
