import { SnapshotLimitReached } from '#projections';

// Found by probing the command line: with SNAPSHOT_LIMIT=1, `replay --to-position N` (and the 409 of
// POST /admin/snapshots, which carries the same message) said "1 snapshots are kept already".
describe('the message of a snapshot beyond SNAPSHOT_LIMIT', () => {
  it.each([
    [1, '1 snapshot is kept already (SNAPSHOT_LIMIT)'],
    [2, '2 snapshots are kept already (SNAPSHOT_LIMIT)'],
    [10, '10 snapshots are kept already (SNAPSHOT_LIMIT)'],
  ])('given a limit of %i, when it is reached, then it says "%s"', (limit, said) => {
    const refused = new SnapshotLimitReached(limit);

    expect(refused.message.startsWith(`${said}: delete one`)).toBe(true);
  });
});
