import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '#platform';
import { buildApi } from './support/api-process.js';
import { onFullDisk } from './support/full-disk.js';

/** Starts the built embedded PostgreSQL on `dataDir` on a full disk (onFullDisk): its exit code. */
const startOnFullDisk = (dataDir: string) =>
  onFullDisk(
    'try { const c = await platform.startEmbeddedPostgres({ dataDir });' +
      ' await c.stop({ force: true }); process.exit(0); } catch { process.exit(1); }',
    dataDir,
  );

/**
 * Measured on a DATA_DIR on a full tmpfs: the server's start created its start lock
 * (DATA_DIR/postgres.starting) but could not write its pid into it, went on without the lock, failed
 * ("could not write lock file postmaster.pid: No space left on device") and exited 1, leaving the lock
 * empty. The next start, with the disk freed, waited on that lock, saying nothing, for two minutes
 * until it counted as stale. A lock whose pid cannot be written is now removed at once.
 */
describe('the embedded PostgreSQL started on a full disk', () => {
  let dataDir: string;
  let cluster: EmbeddedPostgres | undefined;
  beforeAll(() => {
    buildApi();
    dataDir = mkdtempSync(join(tmpdir(), 'embedded-pg-full-disk-'));
  }, 300_000);
  afterAll(async () => {
    await cluster?.stop({ force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('leaves no start lock behind, so that the next start, once there is room, starts at once', async () => {
    // given a start on a disk where nothing can be written
    const code = await startOnFullDisk(dataDir);
    expect(code).not.toBe(0);

    // then it left no start lock for later starts to wait on
    expect(existsSync(join(dataDir, 'postgres.starting'))).toBe(false);

    // when a process starts the cluster once the disk has room
    cluster = await startEmbeddedPostgres({ dataDir });

    // then it is running, started by that process
    expect(cluster.owned).toBe(true);
  }, 120_000);
});
