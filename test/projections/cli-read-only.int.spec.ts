import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLogRunner, auditLogSchema } from '#projections';
import { generateSignerKey } from '#event-store';
import { personalDataSchema } from '#platform';
import { migrateSchema } from '#schema';
import { buildCli, runCli } from './support/built-cli.js';
import { projectionFixture, type Fixture } from './support/projection-fixture.js';

const origin = 'volunteer-campaigns.local/log';

/** A database with every table a server makes, one member enrolled and a signed checkpoint. */
async function serverDatabase(prefix: string) {
  const fixture = await projectionFixture(prefix);
  await migrateSchema(fixture.pool, personalDataSchema, auditLogSchema);
  await fixture.append('member-ro-m1', 'MemberEnrolled', {
    memberId: 'ro-m1',
    unitId: 'ro-u1',
    displayName: 'Phạm Thị Đọc',
  });
  const log = new AuditLogRunner(fixture.pool, fixture.store, {
    signingKey: generateSignerKey(origin),
    origin,
    checkpointIntervalMs: 10,
  });
  await log.catchUp();
  const checkpoint = await log.sign();
  if (!checkpoint) throw new Error('no checkpoint signed');
  return { fixture, note: checkpoint.note, key: log.verifierKey };
}

/** The ledger of applied migrations, as text: a command that migrates nothing leaves it as it was. */
async function ledger(fixture: Fixture): Promise<string[]> {
  const { rows } = await fixture.pool.query<{ row: string }>(
    `SELECT component || ' ' || version AS row FROM schema_migrations ORDER BY 1`,
  );
  return rows.map((r) => r.row);
}

// The read-only commands made a JWT secret and a signing key in an empty DATA_DIR (the config loader
// did), and applied pending migrations to the database they were only meant to read.
describe('the read-only commands create nothing and migrate nothing', () => {
  let current: Awaited<ReturnType<typeof serverDatabase>>;
  let older: Awaited<ReturnType<typeof serverDatabase>>;
  const files = mkdtempSync(join(tmpdir(), 'cli-read-only-'));
  const checkpoint = join(files, 'checkpoint.txt');
  /** A DATA_DIR that does not exist, and nothing configured beside the database. */
  const env = (url: string, dataDir: string) => ({
    DATABASE_URL: url,
    DATA_DIR: dataDir,
    AUTH_JWT_SECRET: undefined,
    AUDIT_SIGNING_KEY: undefined,
  });
  const commands = () => [
    ['verify'],
    ['status'],
    ['export', 'audit', '--member', 'ro-m1', '--format', 'json'],
    ['verify', 'log', '--checkpoint', checkpoint, '--key', current.key],
  ];

  beforeAll(async () => {
    buildCli();
    current = await serverDatabase('cli_ro_current');
    writeFileSync(checkpoint, current.note);
    // an older version's schema: the ledger lacks the event store's latest migration
    older = await serverDatabase('cli_ro_older');
    await older.fixture.pool.query(
      `DELETE FROM schema_migrations WHERE component = 'event-store' AND version = 2`,
    );
  }, 300_000);
  afterAll(async () => {
    await current?.fixture.close();
    await older?.fixture.close();
  });

  it('answers from a current schema without creating DATA_DIR, a secret or a key', async () => {
    for (const [i, args] of commands().entries()) {
      // given a DATA_DIR that does not exist; when each command runs
      const dataDir = join(files, `never-${i}`);
      const before = await ledger(current.fixture);
      const result = runCli(args, env(current.fixture.url, dataDir));

      // then it answers, and creates nothing anywhere
      expect({ args, status: result.status, stderr: result.stderr }).toMatchObject({ status: 0 });
      expect(existsSync(dataDir)).toBe(false);
      expect(await ledger(current.fixture)).toEqual(before);
    }
  });

  it('verify log without --key and no key kept anywhere asks for one, exit 2', () => {
    const dataDir = join(files, 'never-key');
    const result = runCli(['verify', 'log', '--checkpoint', checkpoint], {
      ...env(current.fixture.url, dataDir),
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('verify log: no --key, and no signing key is configured');
    expect(existsSync(dataDir)).toBe(false);
  });

  it('refuses an older schema, saying the server migrates it, and changes nothing', async () => {
    const before = await ledger(older.fixture);
    for (const [i, args] of commands().entries()) {
      // when each command runs against a database an older version made
      const dataDir = join(files, `older-${i}`);
      const result = runCli(args, env(older.fixture.url, dataDir));

      // then it exits 1 naming the migration it did not apply, and applies none
      expect({ args, status: result.status, stdout: result.stdout }).toEqual({
        args,
        status: 1,
        stdout: '',
      });
      expect(result.stderr).toContain('needs migrating (event-store 2 (drop the ledger');
      expect(result.stderr).toContain('start the server of this version (npm start) once');
      expect(await ledger(older.fixture)).toEqual(before);
      expect(existsSync(dataDir)).toBe(false);
    }
  });

  it("verify log refuses a schema without the audit log's latest migration", async () => {
    // given a current schema but for the audit log's tables
    await older.fixture.pool.query(`INSERT INTO schema_migrations (component, version, name)
      VALUES ('event-store', 2, 'drop the ledger of the runner #schema replaced')`);
    await older.fixture.pool.query(`DELETE FROM schema_migrations WHERE component = 'audit-log'`);
    const before = await ledger(older.fixture);

    // when verify log runs
    const args = ['verify', 'log', '--checkpoint', checkpoint, '--key', current.key];
    const result = runCli(args, env(older.fixture.url, join(files, 'older-audit')));

    // then
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('needs migrating (audit-log 1 (merkle tree and checkpoints)');
    expect(await ledger(older.fixture)).toEqual(before);
  });
});
