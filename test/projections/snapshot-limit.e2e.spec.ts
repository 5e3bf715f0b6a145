import {
  listedSnapshots,
  operator,
  PROBLEM,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from '../commands/commands-kit.js';

// Each snapshot is a full copy of the read models (a few GB for a province's year): without a cap, a
// script asking for one a minute filled the disk, and a full disk stops PostgreSQL for every user.
// SNAPSHOT_LIMIT caps what is kept (building or ready); beyond it a new one is a 409 naming the limit.
describe('snapshots beyond SNAPSHOT_LIMIT are refused until one is deleted', () => {
  let kit: CommandsKit;
  let head: string;
  beforeAll(async () => {
    kit = await startCommandsKit('snapshot_limit', { env: { SNAPSHOT_LIMIT: '2' } });
    await seedTree(kit, 'sl');
    head = (await kit.store.headPosition()).toString();
  });
  afterAll(async () => {
    await kit?.close();
  });

  const kept = () => listedSnapshots(kit);

  it('lets exactly the limit through when requests arrive together', async () => {
    // given no snapshot and a limit of 2
    // when four operators ask for a snapshot at once
    const answers = await Promise.all(
      ['a', 'b', 'c', 'd'].map((id) =>
        kit.post('/admin/snapshots', operator, { id: `sl-${id}`, toPosition: Number(head) }),
      ),
    );

    // then two are accepted and two refused with a problem naming the limit
    expect(answers.map((a) => a.status).sort()).toEqual([202, 202, 409, 409]);
    for (const refused of answers.filter((a) => a.status === 409)) {
      expect(refused.headers['content-type']).toMatch(PROBLEM);
      expect(refused.body.code).toBe('snapshot_limit');
      expect(refused.body.detail).toMatch(/SNAPSHOT_LIMIT/);
    }
    expect(await kept()).toHaveLength(2);
  });

  it('refuses the rebuild route given a bound as well, and starts nothing', async () => {
    // given two snapshots kept
    // when an operator asks the rebuild route for another one
    const res = await kit.post('/admin/projections/rebuild', operator, {
      toPosition: Number(head),
    });

    // then it is the same 409, and still two are kept
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('snapshot_limit');
    expect(await kept()).toHaveLength(2);
  });

  it('takes a new one once one is deleted', async () => {
    // given two snapshots kept
    const [first] = await kept();

    // when one is deleted and another asked for
    const deleted = await kit.send('delete', `/admin/snapshots/${first!.id}`, operator);
    const res = await kit.post('/admin/snapshots', operator, {
      id: 'sl-e',
      toPosition: Number(head),
    });

    // then it is accepted
    expect(deleted.status).toBe(204);
    expect(res.status).toBe(202);
    expect((await kept()).map((s) => s.id)).toContain('sl-e');
  });

  it('answers a snapshot asked for again by its id, at the limit too', async () => {
    // given two snapshots kept, sl-e among them
    // when sl-e is asked for again with the same bound
    const res = await kit.post('/admin/snapshots', operator, {
      id: 'sl-e',
      toPosition: Number(head),
    });

    // then it is the same snapshot, not a refusal
    expect(res.status).toBe(202);
    expect(res.body.snapshot).toBe('sl-e');
  });
});
