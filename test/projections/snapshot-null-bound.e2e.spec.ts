import {
  listedSnapshots,
  operator,
  PROBLEM,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from '../commands/commands-kit.js';

// Found by a property-based fuzzer (schemathesis): a JSON `null` where a snapshot's bound goes
// slipped past the validator (IsOptional lets null through) and reached BigInt(null), a 500 with a
// stack trace at error level; `toTime: null` beside a position answered 422. API.md: an invalid body
// is a 400 naming the field, and nothing is started.
describe('a null snapshot bound is refused with 400 naming it', () => {
  let kit: CommandsKit;
  beforeAll(async () => {
    kit = await startCommandsKit('snapshot_null_bound');
    await seedTree(kit, 'snb');
  });
  afterAll(async () => {
    await kit?.close();
  });

  const snapshots = () => listedSnapshots(kit);

  it.each([
    ['/admin/snapshots', { toPosition: null, toTime: '2025-08-10T00:00:00+07:00' }, 'toPosition'],
    ['/admin/snapshots', { toPosition: 1, toTime: null }, 'toTime'],
    ['/admin/snapshots', { toTime: null }, 'toTime'],
    ['/admin/projections/rebuild', { toPosition: null }, 'toPosition'],
    ['/admin/projections/rebuild', { toTime: null }, 'toTime'],
  ])('POST %s %j', async (path, body, field) => {
    // given a log with a few events and no snapshot
    // when an operator asks for a snapshot whose bound is null
    const res = await kit.post(path, operator, body);

    // then the answer is a 400 problem naming the bound, and no snapshot (nor rebuild) was started
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(await snapshots()).toEqual([]);
  });
});
