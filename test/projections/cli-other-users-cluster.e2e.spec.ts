import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateSignerKey } from '#event-store';
import { startEmbeddedPostgres } from '#platform';
import { buildCli } from './support/built-cli.js';

/** `nobody`: as root, the CLI runs as that other user; otherwise the cluster is closed to this one. */
const asRoot = process.getuid?.() === 0;
const other = { uid: 65534, gid: 65534 };

/**
 * Found by probing the command line as an operator who is not the server's user: the embedded
 * PostgreSQL's directory (mode 0700) hid its PG_VERSION, so `seed` warned that an empty database
 * would be created, said "initialising PostgreSQL", and set about removing the running server's
 * cluster directory to make a new one (stopped by the same permissions: "error: EACCES: permission
 * denied, rmdir"); `status` said there was no database there at all.
 */
describe('the CLI run by a user who may not open the embedded PostgreSQL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cli-other-user-'));
  const clusterDir = join(dataDir, 'postgres');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    AUTH_JWT_SECRET: 'cli-other-users-cluster-secret',
    AUDIT_SIGNING_KEY: generateSignerKey('other-user.example/log'),
  };
  delete env.DATABASE_URL;
  const cli = (args: string[]) =>
    spawnSync(process.execPath, [resolve('dist/apps/cli/src/main.js'), ...args], {
      encoding: 'utf8',
      timeout: 120_000,
      env,
      ...(asRoot ? other : {}),
    });

  beforeAll(async () => {
    buildCli();
    // given a DATA_DIR whose cluster the server made, and a user who may not look into it
    chmodSync(dataDir, 0o755);
    await (await startEmbeddedPostgres({ dataDir })).stop();
    if (!asRoot) chmodSync(clusterDir, 0o000);
  }, 300_000);
  afterAll(() => {
    if (!asRoot) chmodSync(clusterDir, 0o700);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each([['seed', 'card-drive-2025'], ['status']])(
    'given %s, says in one line whose cluster it is, and touches nothing',
    (...args) => {
      // when the command runs
      const run = cli(args);

      // then it exits non-zero naming the cluster and what to do, without claiming there is none
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain(
        `error: the embedded PostgreSQL in ${clusterDir} is not this user's to open (permission denied)`,
      );
      expect(run.stderr).not.toMatch(/an empty one is created|initialising|none was created/);
      // and the cluster is still there
      if (!asRoot) chmodSync(clusterDir, 0o700);
      expect(existsSync(join(clusterDir, 'PG_VERSION'))).toBe(true);
      if (!asRoot) chmodSync(clusterDir, 0o000);
    },
  );
});
