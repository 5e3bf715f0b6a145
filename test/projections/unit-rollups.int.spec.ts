import { READS, unitLeaderboard, unitMetrics, unitSummary } from '#projections';
import { activityWaves, appendWaves } from '../../libs/projections/src/demo/activity-generator.js';
import { projectionFixture, type Fixture } from './support/projection-fixture.js';
import { scenario } from './support/scenario.js';
import { unitFiguresFromEvents } from './support/unit-rollups.fold.js';

// The unit summary and the units board read roll-up rows the projection keeps (issue 10). The
// reference is a plain fold over the stored events (support/unit-rollups.fold.ts), compared for every
// unit and every board (each parent, each metric, whole and cut to two entries) on a generated history
// four levels deep applied in small batches, then after a hand sequence moving shifts between states.
describe('unit roll-ups', () => {
  let f: Fixture;
  let given: ReturnType<typeof scenario>;

  const compareAll = async () => {
    await f.settle();
    const schema = await f.schema(READS.unitRollups);
    const reference = unitFiguresFromEvents(await f.store.readAll({ maxCount: 1_000_000 }));
    const pairs: { kept: unknown; folded: unknown }[] = [];
    for (const unitId of reference.unitIds)
      pairs.push({
        kept: await unitSummary(f.pool, schema, unitId),
        folded: reference.summary(unitId),
      });
    for (const parentId of [undefined, ...reference.unitIds])
      for (const metric of unitMetrics)
        for (const limit of [1_000, 2]) {
          const q = { metric, parentId, limit };
          pairs.push({
            kept: await unitLeaderboard(f.pool, schema, q),
            folded: reference.board(metric, parentId ?? null, limit),
          });
        }
    return { pairs, reference };
  };

  beforeAll(async () => {
    f = await projectionFixture('proj_unit_rollups', { batchSize: 97 });
    given = scenario(f);
    const appended = await appendWaves(
      f.store,
      activityWaves({
        targetEvents: 3_000,
        members: 40,
        campaigns: 2,
        concurrentShifts: 30,
        districts: 3,
        wardsPerDistrict: 3,
        branchesPerWard: 2,
        erasures: 4,
        seed: 17,
        idPrefix: 'ur-',
      }),
    );
    f.track(appended.lastPosition);
  });
  afterAll(() => f.close());

  it('answers every summary and every board as the fold over the generated history does', async () => {
    const { pairs, reference } = await compareAll();

    for (const { kept, folded } of pairs) expect(kept).toEqual(folded);
    const root = reference.summary('ur-p0');
    expect(root.subunits).toBe(3 + 9 + 18);
    expect([root.members, root.clubs, root.posts, root.citizensAssisted]).not.toContain(0);
    expect(root.verifiedHours).toBeGreaterThan(0);
    const districts = reference.board('citizensAssisted', 'ur-p0', 10);
    expect(districts).toHaveLength(3);
  });

  it('moves a shift between the figures as it is verified, rejected, corrected and verified again', async () => {
    // a new branch under a generated branch: five levels deep
    const { reference: before } = await compareAll();
    const deepest = before.unitIds.find((id) => before.summary(id).kind === 'branch')!;
    await given.unit('ur-x', deepest, 'team');
    await given.member('ur-xm1', 'ur-x');
    await given.member('ur-xm2', 'ur-x');
    await given.club('ur-xk', 'ur-x');
    await given.post('ur-xp', 'ur-x', '2025-08-09T10:00:00+07:00');
    for (const [shift, member] of [
      ['ur-xs1', 'ur-xm1'],
      ['ur-xs2', 'ur-xm2'],
    ]) {
      await given.start(shift, member, '2025-08-10T08:00:00+07:00', null);
      await given.assist(shift, member, '2025-08-10T09:00:00+07:00', 7, 'eid_activation', null);
      await given.end(shift, '2025-08-10T11:00:00+07:00');
      await given.verify(shift);
    }
    const verified = await compareAll();

    await given.reject('ur-xs1');
    await given.correct('ur-xs2', { startedAt: '2025-08-10T08:30:00+07:00' });
    const moved = await compareAll();
    await given.correct('ur-xs1', { endedAt: '2025-08-10T12:00:00+07:00' });
    await given.verify('ur-xs1');
    await given.verify('ur-xs2');
    await given.erase('ur-xm1');
    const final = await compareAll();

    for (const { pairs } of [verified, moved, final])
      for (const { kept, folded } of pairs) expect(kept).toEqual(folded);
    const team = (r: typeof verified) => r.reference.summary('ur-x');
    expect(team(verified)).toMatchObject({ citizensAssisted: 14, verifiedHours: 6, members: 2 });
    expect(team(moved)).toMatchObject({ citizensAssisted: 7, verifiedHours: 0 });
    expect(team(final)).toMatchObject({ citizensAssisted: 14, verifiedHours: 6.5, members: 2 });
    expect(final.reference.summary(deepest).subunits).toBe(1);
  });
});
