import {
  type CommandsKit,
  finishedJob,
  hoursAgo,
  operator,
  PROBLEM,
  seedTree,
  startCommandsKit,
  viewer,
} from '../commands/commands-kit.js';

/**
 * A new version of a projection is built beside the live read model, which answers meanwhile
 * (ensureSlots). Queries written for the new version that need what the old tables lack must say so:
 * 503 while the upgrade builds (retry), 409 for a snapshot of the old version (build it again), never
 * a 500. What an older version left is made here from the current one: its slot row names the version
 * before, and its figures lack `path_key`, which the subtree board of the current version reads.
 */
describe('read models left by an older version of their projection', () => {
  let kit: CommandsKit;
  let tree: Awaited<ReturnType<typeof seedTree>>;
  let position = 0;
  const get = (path: string) => kit.send('get', path, viewer);
  const command = async (path: string, body: object) => {
    position = Math.max(position, (await kit.record(path, body)).position);
  };
  const slotOf = async (where: string) =>
    (
      await kit.sql<{ schema_name: string; version: number }>(
        `SELECT schema_name, version FROM projection_checkpoints WHERE projection = 'volunteer-activity' AND ${where}`,
      )
    )[0]!;
  /** The slot as the version before left it: that version number, no `path_key` in its figures. */
  const olderVersion = async (where: string) => {
    const slot = await slotOf(where);
    await kit.sql(`ALTER TABLE ${slot.schema_name}.member_figures DROP COLUMN path_key CASCADE`);
    await kit.sql(
      `UPDATE projection_checkpoints SET version = version - 1 WHERE projection = 'volunteer-activity' AND ${where}`,
    );
  };

  beforeAll(async () => {
    kit = await startCommandsKit('proj_versions', { worker: true });
    tree = await seedTree(kit, 'v');
    await command('/shifts', {
      id: 's1',
      memberId: tree.member,
      location: 'TTHCC',
      startedAt: hoursAgo(3),
    });
    await command('/shifts/s1/assistance', {
      id: 's1-a',
      serviceType: 'other',
      citizens: 2,
      occurredAt: hoursAgo(2),
    });
    const started = await kit.post('/admin/snapshots', operator, {
      id: 'old',
      toPosition: position,
    });
    const job = await finishedJob(kit, started.body.id);
    if (job.state !== 'done') throw new Error(`snapshot: ${JSON.stringify(job)}`);
  }, 120_000);
  afterAll(() => kit?.close());

  /** The subtree board over a period (it reads `path_key`); `limit` varies so no answer is shared. */
  const board = (limit: number) =>
    `/leaderboards/members?metric=citizensAssisted&unitId=${tree.province}&from=2000-01-01&limit=${limit}`;

  it('answers 503 while the live read model is the older version, and what still fits it answers', async () => {
    // given: the subtree board answers from the current version
    const before = await get(`${board(10)}&minPosition=${position}`);
    expect(before.status).toBe(200);

    // when: the live slot is what the version before left, as during an upgrade
    await olderVersion(`state = 'live'`);
    const upgrading = await get(board(11));
    const summary = await get(`/units/${tree.province}/summary`);

    // then: the board says the read model is being upgraded, and when to come back; others answer
    expect(upgrading.status).toBe(503);
    expect(upgrading.headers['content-type']).toMatch(PROBLEM);
    expect(upgrading.headers['retry-after']).toBeDefined();
    expect(upgrading.body.type).toMatch(/read-model-upgrading/);
    expect(upgrading.body.detail).toMatch(/volunteer-activity.*version/);
    expect(summary.status).toBe(200);
  });

  it('answers 409 for a snapshot built by the older version', async () => {
    // given: a snapshot of the current version, which answers
    expect((await get(`${board(10)}&snapshot=old`)).status).toBe(200);

    // when: it is what the version before built
    await olderVersion(`snapshot_id = 'old'`);
    const outdated = await get(`${board(11)}&snapshot=old`);

    // then: it says the snapshot must be built again
    expect(outdated.status).toBe(409);
    expect(outdated.headers['content-type']).toMatch(PROBLEM);
    expect(outdated.body.type).toMatch(/snapshot-outdated/);
    expect(outdated.body.detail).toMatch(/build it again/);
  });
});
