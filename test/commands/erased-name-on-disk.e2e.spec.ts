import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import {
  hoursAgo,
  operator,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from './commands-kit.js';

/** Every file under `dir` whose bytes contain `needle` (directories walked, unreadable files skipped). */
function filesContaining(dir: string, needle: Buffer): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    try {
      if (statSync(path).isDirectory()) found.push(...filesContaining(path, needle));
      else if (readFileSync(path).includes(needle)) found.push(path);
    } catch {
      // a WAL segment recycled while we walk: nothing to read there
    }
  }
  return found;
}

/**
 * Issue 9, defect 5 (last point): display names survived erasure as dead tuples in the read-model
 * tables until a VACUUM. The read models now keep names sealed, as the log does, so no table, dead
 * row version or WAL record of this database ever holds the name in clear; the answers still show it
 * until the erasure, and "(erased)" after.
 */
describe('an erased name is readable nowhere on disk', () => {
  let kit: CommandsKit;
  beforeAll(async () => {
    kit = await startCommandsKit('cmd_name_on_disk', { worker: true });
  });
  afterAll(async () => {
    await kit?.close();
  });

  const hours = async (position: number) =>
    request(kit.server)
      .get(`/audit/members/d-erase/hours?minPosition=${position}`)
      .set('Authorization', await kit.bearer({ sub: 'au-1', role: 'auditor' }));

  it('shows the name until the erasure, then neither the tables nor their files hold it', async () => {
    // given a member with a shift, projected
    const ids = await seedTree(kit, 'd');
    const name = 'Tô Thị Ondisk-Zq7';
    await kit.post('/members', operator, { id: 'd-erase', unitId: ids.branch, displayName: name });
    await kit.post('/shifts', operator, {
      id: 'd-s1',
      memberId: 'd-erase',
      location: 'x',
      startedAt: hoursAgo(3),
    });
    const ended = await kit.post('/shifts/d-s1/end', operator, { endedAt: hoursAgo(2) });
    const before = await hours(ended.body.position);
    expect(before.status).toBe(200);
    expect(before.body.displayName).toBe(name); // opened from the sealed read model per request

    // when the member is erased and the projections have applied it
    const erased = await kit.send('delete', '/members/d-erase/personal-data', operator);
    expect(erased.status).toBe(201);
    const after = await hours(erased.body.position);
    expect(after.body.displayName).toBe('(erased)');

    // then no row holds the name, and no file of the database either: not the read-model tables'
    // heap with their dead row versions, not the WAL
    const live = await kit.sql<{ schema_name: string; projection: string }>(
      `SELECT schema_name, projection FROM projection_checkpoints
        WHERE state = 'live' AND projection IN ('audit-trail', 'volunteer-activity')`,
    );
    expect(live).toHaveLength(2);
    for (const { schema_name: schema, projection } of live) {
      const table = projection === 'audit-trail' ? 'audit_members' : 'members';
      const rows = await kit.sql<{ t: string }>(`SELECT t::text AS t FROM "${schema}".${table} t`);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.map((r) => r.t).join('\n')).not.toContain(name);
    }
    await kit.sql('CHECKPOINT'); // every page on disk as the server holds it
    const [where] = await kit.sql<{ dir: string; db: string }>(
      `SELECT current_setting('data_directory') AS dir,
              (SELECT oid::text FROM pg_database WHERE datname = current_database()) AS db`,
    );
    const onDisk = [
      ...filesContaining(join(where!.dir, 'base', where!.db), Buffer.from(name)),
      ...filesContaining(join(where!.dir, 'pg_wal'), Buffer.from(name)),
    ];
    expect(onDisk).toEqual([]);
    // and the scan does see what is stored in clear (a unit's name), so its silence means something
    expect(
      filesContaining(join(where!.dir, 'base', where!.db), Buffer.from('Đoàn phường')).length,
    ).toBeGreaterThan(0);
  }, 60_000);
});
