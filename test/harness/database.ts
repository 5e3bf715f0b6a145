import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

/** The server the harness started (or DATABASE_URL). */
export function serverUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run the tests through `npm test`.');
  return url;
}

/**
 * Creates an empty database of its own for one suite, so suites never see each other's events.
 * Returns its URL and a `drop` that removes it.
 */
export function createTestDatabase(
  prefix = 'test',
): Promise<{ url: string; drop: () => Promise<void> }> {
  return createScratchDatabase(serverUrl(), prefix);
}

/** An empty database on `server` for one suite or bench module, and a `drop` that removes it. */
export async function createScratchDatabase(
  server: string,
  prefix: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await withAdmin(server, (admin) => admin.query(`CREATE DATABASE "${name}"`));
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withAdmin(server, async (admin) => {
        await waitForSessionsToLeave(admin, name);
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      }),
  };
}

async function withAdmin<T>(server: string, work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/**
 * pg-pool's `end()` resolves as soon as it has asked its clients to close, before their sessions are
 * gone. Forcing the drop at that moment terminates those sessions, and the termination reaches the
 * closing pool as an error nobody listens to, which fails the suite. Sessions still there after the
 * wait belong to something the suite forgot to close, and FORCE ends them.
 */
async function waitForSessionsToLeave(
  admin: pg.Client,
  database: string,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { rows } = await admin.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [database],
    );
    if (rows[0]!.n === 0) return;
    await sleep(25);
  }
}
