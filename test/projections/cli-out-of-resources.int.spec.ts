import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { serverUrl } from '../harness/database.js';
import { buildCli, runCli } from './support/built-cli.js';

async function asAdmin(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/**
 * Found by probing with DATA_DIR on a full tmpfs: a command the database refused for want of a
 * resource (SQLSTATE class 53) said "error: cannot reach the embedded PostgreSQL in …: could not extend
 * file …: No space left on device. Is it running, and is DATABASE_URL (or DATA_DIR) the server's?",
 * sending the operator to check a configuration that was right. A role out of connections (53300,
 * "too many connections for role") stands in for the full disk here.
 */
describe('a CLI command the database refuses for want of a resource', () => {
  const role = `cli_no_room_${randomBytes(4).toString('hex')}`;
  let dataDir: string;
  beforeAll(async () => {
    buildCli();
    dataDir = mkdtempSync(join(tmpdir(), 'cli-no-room-'));
    await asAdmin(`CREATE ROLE ${role} LOGIN PASSWORD 'no-room' CONNECTION LIMIT 0`);
  }, 300_000);
  afterAll(async () => {
    await asAdmin(`DROP ROLE IF EXISTS ${role}`);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('says the database is out of a resource, not that it cannot be reached, and exits 1', () => {
    // given a DATABASE_URL whose role may open no connection
    const url = new URL(serverUrl());
    url.username = role;
    url.password = 'no-room';

    // when a command runs against it
    const result = runCli(['status'], {
      DATA_DIR: dataDir,
      DATABASE_URL: url.toString(),
      AUTH_JWT_SECRET: undefined,
    });

    // then it names the database and the resource, and what to do
    expect(result.status).toBe(1);
    const failure = result.stderr.trimEnd().split('\n').at(-1);
    expect(failure).toMatch(/^error: PostgreSQL at postgres:\/\/cli_no_room_\w+:\*\*\*@/);
    expect(failure).toContain(`is out of a resource: too many connections for role "${role}"`);
    expect(failure).toContain('then run the command again');
    expect(failure).not.toContain('cannot reach');
  });
});
