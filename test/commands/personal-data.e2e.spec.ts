import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { PersonalDataVault } from '#platform';
import {
  hoursAgo,
  operator,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from './commands-kit.js';

/**
 * The whole database as text: pg_dump's output where a pg_dump matching the server is installed, and
 * in any case every row of every table read in SQL (the pg_dump of these machines is older than the
 * embedded server and refuses to run).
 */
async function dumpDatabase(url: string): Promise<string> {
  const dumped = await promisify(execFile)('pg_dump', ['--data-only', url], {
    maxBuffer: 256 * 1024 * 1024,
  }).then(
    (out) => out.stdout,
    () => '',
  );
  return `${dumped}\n${await dumpRows(url)}`;
}

async function dumpRows(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ name: string }>(
      `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables
        WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`,
    );
    const parts: string[] = [];
    for (const { name } of tables) {
      const { rows } = await client.query(`SELECT t::text AS row FROM ${name} t`);
      parts.push(...rows.map((r: { row: string }) => r.row));
    }
    return parts.join('\n');
  } finally {
    await client.end();
  }
}

describe('personal data is sealed and erasable', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  const name = 'Hoàng Thị Erasable';
  const citizenRef = 'CCCD-079203001234';
  beforeAll(async () => {
    kit = await startCommandsKit('cmd_pii');
    ids = await seedTree(kit, 'p');
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('stores the name and the citizen reference encrypted, readable through the vault', async () => {
    await kit.post('/members', operator, { id: 'p-erase', unitId: ids.branch, displayName: name });
    await kit.post('/shifts', operator, {
      id: 'p-s1',
      memberId: 'p-erase',
      location: 'x',
      startedAt: hoursAgo(3),
    });
    const help = await kit.post('/shifts/p-s1/assistance', operator, {
      serviceType: 'eid_activation',
      occurredAt: hoursAgo(2),
      citizenRef,
    });
    expect(help.status).toBe(201);
    const dump = await dumpDatabase(kit.databaseUrl);
    expect(dump).not.toContain(name);
    expect(dump).not.toContain(citizenRef);
    const vault = kit.app.get(PersonalDataVault);
    const [enrolled] = await kit.store.readStream('member-p-erase');
    expect(await vault.open(enrolled!.data.displayName)).toBe(name);
    const assisted = (await kit.store.readStream('shift-p-s1'))[1]!;
    expect(await vault.open(assisted.data.citizenRef)).toBe(citizenRef);
  });

  it('after erasure the name is nowhere in the database and the hash chain still verifies', async () => {
    const res = await kit.send('delete', '/members/p-erase/personal-data', operator);
    expect(res.status).toBe(201);
    const events = await kit.store.readStream('member-p-erase');
    expect(events.map((e) => e.type)).toEqual(['MemberEnrolled', 'MemberDataErased']);
    const vault = kit.app.get(PersonalDataVault);
    expect(await vault.open(events[0]!.data.displayName)).toBeNull();
    // A citizen is a data subject of their own: the volunteer's erasure leaves the reference readable.
    expect(await vault.open((await kit.store.readStream('shift-p-s1'))[1]!.data.citizenRef)).toBe(
      citizenRef,
    );
    expect(await dumpDatabase(kit.databaseUrl)).not.toContain(name);
    const verification = await kit.store.verifyStream('member-p-erase');
    expect(verification).toMatchObject({ valid: true, events: 2 });
  });

  it('refuses new shifts for an erased member, while the shift under way can still be ended', async () => {
    // given p-erase was erased in the test above, with shift p-s1 still open
    const refused = await kit.post('/shifts', operator, {
      id: 'p-s2',
      memberId: 'p-erase',
      location: 'x',
      startedAt: hoursAgo(1),
    });
    const ended = await kit.post('/shifts/p-s1/end', operator, { endedAt: hoursAgo(1) });

    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'member_erased' });
    expect(await kit.streamLength('shift-p-s2')).toBe(0);
    expect(ended.status).toBe(201);
  });

  it('only coordinators of the subtree and operators erase', async () => {
    const volunteer = await kit.send('delete', `/members/${ids.member}/personal-data`, {
      sub: ids.member,
      role: 'volunteer',
      unitId: ids.branch,
    });
    expect(volunteer.status).toBe(403);
    const outsider = await kit.send('delete', `/members/${ids.member}/personal-data`, {
      sub: 'c-x',
      role: 'coordinator',
      unitId: 'elsewhere',
    });
    expect(outsider.status).toBe(403);
    expect(await kit.streamLength(`member-${ids.member}`)).toBe(1);
  });
});

// With the projections running, erased-name-on-disk.e2e.spec.ts: read models keep names sealed too.
