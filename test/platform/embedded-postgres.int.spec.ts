import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '#platform';

async function query(url: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/** What `npm start` relies on when DATABASE_URL is unset (as root here: it runs as `postgres`). */
describe('the embedded PostgreSQL under DATA_DIR', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'embedded-pg-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps data and port across restarts, shares a running server, and stops cleanly', async () => {
    // given a first start, which initialises the cluster
    const first = await startEmbeddedPostgres({ dataDir });
    expect(first.owned).toBe(true);
    await query(first.url, 'CREATE TABLE kept (v text); INSERT INTO kept VALUES ($$đoàn viên$$)');

    // when a second process opens the same DATA_DIR while it runs, it shares the server
    const second = await startEmbeddedPostgres({ dataDir });
    expect(second).toMatchObject({ owned: false, port: first.port });
    await second.stop(); // not its server: a no-op
    expect((await query(first.url, 'SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);

    // and after a stop and a start, the port and the data are the same
    await first.stop();
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    const again = await startEmbeddedPostgres({ dataDir });
    try {
      expect(again.port).toBe(first.port);
      expect(Number(readFileSync(join(dataDir, 'postgres.port'), 'utf8'))).toBe(first.port);
      expect((await query(again.url, 'SELECT v FROM kept')).rows).toEqual([{ v: 'đoàn viên' }]);
    } finally {
      await again.stop();
    }
  });

  // Found by probing the logs: two requests racing one command id end in a unique violation that
  // the application answers (409), and PostgreSQL wrote the whole failing statement after the error
  // into postgres.log, which nothing rotates: 1.6 KB per request a client chose to send.
  it('writes the error of a failing statement to postgres.log, not the statement', async () => {
    // given the embedded PostgreSQL
    const server = await startEmbeddedPostgres({ dataDir });
    try {
      // when a statement fails
      const failing = 'SELECT 1 / 0 AS statement_text_9f2c';
      await expect(query(server.url, failing)).rejects.toThrow(/division by zero/);
    } finally {
      await server.stop();
    }
    // then its log holds the error, and nothing of the statement
    const log = readFileSync(join(dataDir, 'postgres.log'), 'utf8');
    expect(log).toContain('ERROR:  division by zero');
    expect(log).not.toContain('statement_text_9f2c');
  });
});
