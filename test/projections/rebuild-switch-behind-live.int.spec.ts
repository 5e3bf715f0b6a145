import type { EventStore } from '#event-store';
import {
  liveReadModel,
  ProjectionRunner,
  READS,
  startRebuild,
  unitSummary,
  volunteerActivityProjection,
} from '#projections';
import { projectionFixture, type Fixture } from './support/projection-fixture.js';

/**
 * API.md: a rebuild "switches over when caught up", and the live read models never move backwards.
 * A rebuild's group reads its next batch ahead while it applies one, and keeps that batch for its next
 * turn when its time is up (`jobTurnMs`); the live slots run first in that turn and may have moved past
 * the head the batch was read at. A batch that was the last one when read must not switch the rebuilt
 * slot over then: readers would jump back to a checkpoint, and figures, older than those they had.
 */
describe('a rebuild whose last batch was read before the live slot moved on', () => {
  let f: Fixture;
  const batchSize = 20;
  const root = 'behind-root';

  beforeAll(async () => {
    f = await projectionFixture('proj_rebuild_behind', { batchSize });
  });
  afterAll(() => f.close());

  const registerUnit = (id: string, parentId: string | null) =>
    f.append(`unit-${id}`, 'UnitRegistered', { unitId: id, name: id, kind: 'branch', parentId });

  /** The live read model's checkpoint and the root's subunits, as a unit summary reads them. */
  const liveFigures = async () => {
    const live = await liveReadModel(f.pool, READS.unitRollups);
    const summary = await unitSummary(f.pool, live.schema, root);
    return { position: live.position, subunits: summary?.subunits ?? 0 };
  };

  it('switches over only once it has reached the live checkpoint', async () => {
    // given 30 units under a root, projected live
    await registerUnit(root, null);
    for (let i = 0; i < 30; i++) await registerUnit(`behind-${i}`, root);
    await f.settle();
    // and a rebuild of the unit roll-ups run by a runner whose job turns end after one batch: its
    // second batch, the last one of the log as it stands, is read ahead and kept for the next turn
    let reads = 0;
    const observed = new Proxy(f.store, {
      get(target, name) {
        if (name === 'readAll')
          return async (...args: Parameters<EventStore['readAll']>) => {
            const events = await target.readAll(...args);
            reads++;
            return events;
          };
        const value = target[name as keyof EventStore];
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const runner = new ProjectionRunner(f.pool, observed, [volunteerActivityProjection], {
      batchSize,
      jobTurnMs: 0,
    });
    await startRebuild(f.pool, [volunteerActivityProjection], {});
    await runner.runOnce();
    while (reads < 2) await new Promise((resolve) => setImmediate(resolve));

    // when a unit is registered meanwhile, and the runner's next pass moves the live slot past it
    // before the rebuild applies the batch it read ahead
    const before = await liveFigures();
    const last = await registerUnit('behind-late', root);
    await runner.runOnce();

    // then the live read model still holds the late unit: its checkpoint and figures never went back
    const after = await liveFigures();
    expect(after.position).toBeGreaterThanOrEqual(last);
    expect(after.subunits).toBe(before.subunits + 1);
    // and the rebuild switches over once it has caught up, with the same figures
    await f.settle();
    await runner.catchUp();
    expect(await liveFigures()).toEqual({ position: last, subunits: 31 });
  });
});
