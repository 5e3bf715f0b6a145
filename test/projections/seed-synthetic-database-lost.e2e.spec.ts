import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { createTestDatabase } from '../harness/database.js';
import { buildCli } from './support/built-cli.js';
import { logOf, SECRET, seedCli, summaryOf } from './support/seed-synthetic-log.js';

const root = resolve(process.cwd());
const EVENTS = 40000;
const SEED = 31;
const resume = `npm run cli -- seed synthetic --events ${EVENTS} --seed ${SEED} --resume`;

/** The number of events stored in the database at `url`. */
async function stored(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
    return rows[0]!.n;
  } catch {
    return 0; // the command has not made the event log yet
  } finally {
    await client.end();
  }
}

/**
 * Found by probing: `seed synthetic` whose database was restarted under it (`pg_ctl restart`) exited 1
 * saying only "cannot reach the embedded PostgreSQL …: terminating connection due to administrator
 * command. Is it running, and is DATABASE_URL (or DATA_DIR) the server's?", and nothing of the
 * `--resume` that finishes the run, which Ctrl-C prints (README: a run interrupted by a database
 * restart is finished with --resume).
 */
describe('seed synthetic whose database connections are cut halfway', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataDir: string;
  beforeAll(async () => {
    buildCli();
    db = await createTestDatabase('proj_seed_lost');
    dataDir = mkdtempSync(join(tmpdir(), 'seed-lost-'));
  }, 300_000);
  afterAll(async () => {
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('says how to finish the run, and --resume finishes it', async () => {
    // given the command writing a synthetic history
    const child = spawn(
      process.execPath,
      [
        'dist/apps/cli/src/main.js',
        'seed',
        'synthetic',
        '--events',
        `${EVENTS}`,
        '--seed',
        `${SEED}`,
      ],
      {
        cwd: root,
        env: { ...process.env, DATABASE_URL: db.url, DATA_DIR: dataDir, AUTH_JWT_SECRET: SECRET },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let err = '';
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    let exitCode: number | null | undefined;
    void exited.then((code) => (exitCode = code));
    while ((await stored(db.url)) === 0 && exitCode === undefined)
      await new Promise((r) => setTimeout(r, 20));

    // when its connections to the database are cut, as a database restart cuts them, until it
    // stops (an idle connection cut is only replaced: the cut must meet a statement in flight)
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      while (exitCode === undefined) {
        await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        );
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await admin.end();
    }

    // then it fails, and says what finishes the history
    expect(await exited).toBe(1);
    const written = await stored(db.url);
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(EVENTS); // it was cut halfway
    expect(err).toContain(`what was written before it is kept; finish this history with ${resume}`);

    // and that command finishes it
    const resumed = await seedCli(db.url, dataDir, [
      'synthetic',
      '--events',
      `${EVENTS}`,
      '--seed',
      `${SEED}`,
      '--resume',
    ]);
    expect(resumed.code).toBe(0);
    expect(summaryOf(resumed.out).events).toBe((await logOf(db.url)).events.length);
  }, 180_000);
});
