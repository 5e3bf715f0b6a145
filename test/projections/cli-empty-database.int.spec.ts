import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { personalDataSchema } from '#platform';
import { auditLogSchema } from '#projections';
import { migrateSchema } from '#schema';
import { createTestDatabase } from '../harness/database.js';
import { buildCli, runCli } from './support/built-cli.js';
import { projectionFixture, type Fixture } from './support/projection-fixture.js';

/** Relations and schemas anything created in a database, beyond what PostgreSQL itself has. */
async function createdIn(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
                WHERE s.nspname NOT IN ('pg_catalog', 'information_schema') AND s.nspname NOT LIKE 'pg_toast%')
            + (SELECT count(*) FROM pg_namespace
                WHERE nspname NOT IN ('public', 'information_schema') AND nspname NOT LIKE 'pg_%') AS n`,
    );
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

/** The URL as the CLI may show it: with its password masked. */
const masked = (url: string) => {
  const parsed = new URL(url);
  parsed.password = '***';
  return parsed.toString();
};

// An auditor pointed at the wrong database was told "0 streams, 0 events checked: all hash chains
// intact" (exit 0), and the read-only commands had created the schema there to say it.
describe('the read-only commands pointed at a database that holds no event log', () => {
  let empty: Awaited<ReturnType<typeof createTestDatabase>>;
  let noEvents: Fixture;
  const dataDir = mkdtempSync(join(tmpdir(), 'cli-empty-'));
  const checkpoint = join(dataDir, 'checkpoint.txt');
  const env = (url: string | undefined) => ({
    DATABASE_URL: url,
    DATA_DIR: dataDir,
    AUTH_JWT_SECRET: 'cli-empty-secret-0123456789abcdef',
  });

  beforeAll(async () => {
    buildCli();
    writeFileSync(
      checkpoint,
      'volunteer-campaigns.local/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n',
    );
    empty = await createTestDatabase('cli_empty');
    noEvents = await projectionFixture('cli_no_events'); // the schema a server creates, no event yet
    await migrateSchema(noEvents.pool, personalDataSchema, auditLogSchema);
  }, 300_000);
  afterAll(async () => {
    await noEvents?.close();
    await empty?.drop();
  });

  it.each([
    [['verify']],
    [['verify', '--stream', 'shift-1']],
    [['verify', 'log', '--checkpoint', checkpoint]],
    [['status']],
    [['export', 'audit', '--member', 'm1']],
    [['token', '--role', 'coordinator', '--unit', 'u1']],
  ])(
    '%j refuses a database without the schema, naming it without its password, and leaves it empty',
    async (args) => {
      // when the command runs against a database nothing was ever migrated into
      const result = runCli(args, env(empty.url));

      // then it fails saying where it looked, and the database is as it was
      expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 1, stdout: '' });
      expect(result.stderr).toContain(`no event log in PostgreSQL at ${masked(empty.url)}`);
      expect(result.stderr).not.toContain(new URL(empty.url).password + '@');
      expect(await createdIn(empty.url)).toBe(0);
    },
  );

  it('verify says a log with no events holds none, naming the database, and exits 1', () => {
    // given the schema the server creates, and no event; when verify runs
    const result = runCli(['verify'], env(noEvents.url));

    // then
    expect(result.status).toBe(1);
    expect(result.stdout).not.toContain('all hash chains intact');
    expect(result.stderr).toContain(
      `verify: the log in PostgreSQL at ${masked(noEvents.url)} holds no events`,
    );
  });

  it('verify refuses a DATA_DIR without a database, naming it, and creates none there', () => {
    // given no DATABASE_URL and a DATA_DIR that never held a database; when verify runs
    const result = runCli(['verify'], env(undefined));

    // then
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `no event log in the embedded PostgreSQL in ${join(dataDir, 'postgres')}`,
    );
    expect(result.stderr).not.toContain('an empty one is created');
    expect(readdirSync(dataDir)).not.toContain('postgres');
  });

  // `token` never creates a database (with --unit it checks the unit where one exists, else says it
  // did not): told "an empty one is created", a person ran it again in the server's DATA_DIR for nothing.
  it('token in a DATA_DIR without a database mints without announcing a database it does not create', () => {
    // given a DATA_DIR that never held a database; when a token is minted there
    const fresh = mkdtempSync(join(tmpdir(), 'cli-token-'));
    const result = runCli(['token', '--role', 'viewer'], { ...env(undefined), DATA_DIR: fresh });

    // then
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^ey/);
    expect(result.stderr).not.toContain('an empty one is created');
    expect(readdirSync(fresh)).not.toContain('postgres');
  });

  // `token` creates the JWT secret it signs with when DATA_DIR holds none: minted in the wrong
  // DATA_DIR, the token is one the server refuses, and nothing said so (README: the CLI "warns when it
  // would create a new secret").
  it('token in a DATA_DIR without a JWT secret warns that it creates one', () => {
    // given a DATA_DIR that holds no secret, and no AUTH_JWT_SECRET; when a token is minted there
    const fresh = mkdtempSync(join(tmpdir(), 'cli-token-'));
    const result = runCli(['token', '--role', 'viewer'], {
      ...env(undefined),
      AUTH_JWT_SECRET: undefined,
      DATA_DIR: fresh,
    });

    // then it mints, warning of the new secret, and of no database
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^ey/);
    expect(result.stderr).toContain(`warning: no JWT secret in ${fresh}: a new one is created`);
    expect(result.stderr).not.toContain('an empty one is created');
    expect(readdirSync(fresh)).toContain('jwt-secret');
  });

  it('token in a DATA_DIR that keeps its JWT secret mints without a warning', () => {
    // given a DATA_DIR whose secret a first token created; when a second token is minted there
    const kept = mkdtempSync(join(tmpdir(), 'cli-token-'));
    const environment = { ...env(undefined), AUTH_JWT_SECRET: undefined, DATA_DIR: kept };
    runCli(['token', '--role', 'viewer'], environment);
    const result = runCli(['token', '--role', 'viewer'], environment);

    // then
    expect(result.status).toBe(0);
    expect(result.stderr).not.toContain('warning');
  });
});
