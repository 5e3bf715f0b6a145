import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openPool, startEmbeddedPostgres } from '#platform';

// The CLI starts the cluster when no server runs; a server started meanwhile adopts it. When the CLI
// ends, the server must keep its database (it used to answer 503 until restarted).
describe('the embedded PostgreSQL shared by a CLI and a server started after it', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'embedded-pg-shared-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is left running by the process that started it while another process is connected', async () => {
    // given a cluster started by one process (the CLI) and adopted by another (the server)
    const cli = await startEmbeddedPostgres({ dataDir });
    const server = await startEmbeddedPostgres({ dataDir });
    expect([cli.owned, server.owned]).toEqual([true, false]);
    const serverClient = new pg.Client({ connectionString: server.url });
    serverClient.on('error', () => {});
    await serverClient.connect();

    try {
      // when the CLI ends
      const lines: string[] = [];
      await cli.stop();

      // then the server's connection still answers, and a new connection is accepted
      expect((await serverClient.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      const again = await startEmbeddedPostgres({ dataDir, log: (line) => lines.push(line) });
      expect(again).toMatchObject({ owned: false, port: cli.port });
      expect(lines.join('\n')).toContain('already running');
    } finally {
      await serverClient.end().catch(() => {});
    }

    // and once nobody else is connected, its owner's stop stops it
    await cli.stop();
    expect(await accepts(cli.url)).toBe(false);
  });

  it("stops when only its own process's pools are still connected", async () => {
    // given a cluster this process started, and a connection of its own pool still open
    const owner = await startEmbeddedPostgres({ dataDir });
    const pool = openPool({ connectionString: owner.url, max: 1 });
    const held = await pool.connect();

    try {
      // when it stops
      await owner.stop();

      // then the cluster is gone: a pool that did not close in time does not keep it running
      expect(await accepts(owner.url)).toBe(false);
    } finally {
      held.release(true);
      await pool.end().catch(() => {});
    }
  });
});

async function accepts(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}
