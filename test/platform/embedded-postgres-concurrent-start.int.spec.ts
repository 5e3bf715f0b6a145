import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '#platform';

/**
 * The API (RUN_WORKER=false) and the worker apart, started together on one fresh DATA_DIR
 * as a service manager starts them: both looked for the cluster at once, the worker ran initdb, and the
 * API, finding the half-made directory, started a postmaster beside initdb's ("lock file
 * postmaster.pid already exists") and exited 1. Started at the very same moment, both ran initdb into
 * the same directory, the second deleting the first's as "a half-made directory". The start is now
 * taken in turns: the second finds the first's cluster running and shares it.
 */
describe('two processes starting the embedded PostgreSQL of one DATA_DIR at once', () => {
  let dataDir: string;
  const started: EmbeddedPostgres[] = [];
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'embedded-pg-concurrent-'));
  });
  afterAll(async () => {
    for (const cluster of started.reverse()) await cluster.stop({ force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('initialises and starts one cluster, which both use', async () => {
    // given an empty DATA_DIR
    // when two starts race for it
    const results = await Promise.allSettled([
      startEmbeddedPostgres({ dataDir }),
      startEmbeddedPostgres({ dataDir }),
    ]);
    for (const result of results) if (result.status === 'fulfilled') started.push(result.value);

    // then both succeed, on one server that only one of them owns
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(started.map((s) => s.owned).sort()).toEqual([false, true]);
    expect(started[0]!.port).toBe(started[1]!.port);
    const client = new pg.Client({ connectionString: started[1]!.url });
    await client.connect();
    try {
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await client.end();
    }
    expect(existsSync(join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
  }, 120_000);

  it.each([
    ['empty (its holder died before writing its pid, or the disk was full)', ''],
    ['holding a live pid (a pid reused after a reboot)', `${process.ppid}\n`],
  ])(
    'takes over a start lock left long ago, %s',
    async (_, content) => {
      // given another DATA_DIR whose start lock was left ten minutes ago
      const other = mkdtempSync(join(tmpdir(), 'embedded-pg-stale-lock-'));
      const lock = join(other, 'postgres.starting');
      writeFileSync(lock, content);
      const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
      utimesSync(lock, tenMinutesAgo, tenMinutesAgo);
      try {
        // when a process starts its cluster
        const cluster = await startEmbeddedPostgres({ dataDir: other });
        started.push(cluster);
        // then it starts, and leaves no lock behind
        expect(cluster.owned).toBe(true);
        expect(existsSync(lock)).toBe(false);
        await cluster.stop({ force: true });
        started.pop();
      } finally {
        rmSync(other, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
