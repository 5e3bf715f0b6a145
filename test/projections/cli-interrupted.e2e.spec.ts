import {
  clusterStopped,
  embeddedEnv,
  interruptWhenSeen,
  scratchDataDir,
} from '../platform/support/interrupted-start.js';
import { buildCli, runCli } from './support/built-cli.js';

/**
 * `seed synthetic` (any CLI command) interrupted with Ctrl-C while it ran on the embedded
 * PostgreSQL it had started itself (no server up) exited 130 at once: the cluster, a detached child,
 * went on running with nobody to stop it (README: whichever started it stops it on exit). The next
 * server or CLI then only borrowed it, so it was never stopped at all.
 */
describe('a CLI command interrupted with Ctrl-C', () => {
  const { dataDir, remove } = scratchDataDir('cli-interrupted');
  beforeAll(() => buildCli(), 300_000);
  afterAll(remove);

  it('stops the embedded PostgreSQL it started, then exits 130', async () => {
    // given `seed synthetic` writing into the embedded PostgreSQL it started in an empty DATA_DIR
    const seed = ['dist/apps/cli/src/main.js', 'seed', 'synthetic', '--events', '200000'];

    // when it is interrupted halfway
    const { code, output } = await interruptWhenSeen(
      [...seed, '--seed', '5'],
      embeddedEnv(dataDir, {}),
      {
        seen: 'embedded PostgreSQL listening',
        afterMs: 1_000,
        signal: 'SIGINT',
      },
    );

    // then it exits as interrupted, and the cluster's postmaster is gone with it
    expect(code).toBe(130);
    expect(clusterStopped(dataDir)).toBe(true);
    // and it says how to finish: found by probing, it said only "SIGINT: interrupted", and the
    // same command run again was refused (the log holds that seed's history)
    expect(output).toContain(
      'what was written before the interruption is kept; finish this history with ' +
        'npm run cli -- seed synthetic --events 200000 --seed 5 --resume',
    );
  }, 120_000);
});

// Found by probing: a terminal closed (or an ssh session dropped) under a running command sends it
// SIGHUP, which the CLI left to Node's default: it died at once, and the embedded PostgreSQL it had
// started went on running with nobody to stop it.
describe('a CLI command whose terminal hangs up', () => {
  const { dataDir, remove } = scratchDataDir('cli-hangup');
  beforeAll(() => buildCli(), 300_000);
  afterAll(remove);

  it('stops the embedded PostgreSQL it started, then exits 129', async () => {
    // given `seed synthetic` writing into the embedded PostgreSQL it started in an empty DATA_DIR
    const seed = ['dist/apps/cli/src/main.js', 'seed', 'synthetic', '--events', '200000'];

    // when its terminal hangs up
    const { code } = await interruptWhenSeen([...seed, '--seed', '6'], embeddedEnv(dataDir, {}), {
      seen: 'embedded PostgreSQL listening',
      afterMs: 1_000,
      signal: 'SIGHUP',
    });

    // then it exits as hung up, and the cluster's postmaster is gone with it
    expect(code).toBe(129);
    expect(clusterStopped(dataDir)).toBe(true);
  }, 120_000);
});

// A replay's job is committed batch by batch and left to whichever worker runs next: Ctrl-C ends the
// command, not the job. The command said only "SIGINT: interrupted", and an operator took the snapshot
// (still counted against SNAPSHOT_LIMIT) or the rebuild as stopped.
describe('replay interrupted with Ctrl-C', () => {
  const { dataDir, remove } = scratchDataDir('replay-interrupted');
  let position = '';
  beforeAll(() => {
    buildCli();
    // embeddedEnv leaves the outside services out; runCli takes undefined as "remove it"
    const seeded = runCli(['seed', 'synthetic', '--events', '60000', '--seed', '4'], {
      ...embeddedEnv(dataDir, {}),
      DATABASE_URL: undefined,
      KAFKA_BROKERS: undefined,
      EVENTSTORE_URL: undefined,
    });
    if (seeded.status !== 0) throw new Error(`seed failed: ${seeded.stderr}`);
    position = String(JSON.parse(seeded.stdout.trim().split('\n').pop()!).position);
  }, 300_000);
  afterAll(remove);

  it('says the snapshot is left building, how to follow it and how to drop it', async () => {
    // given a snapshot being built by `replay --to-position`
    const replay = ['dist/apps/cli/src/main.js', 'replay', '--to-position', position];

    // when it is interrupted as soon as it has said which snapshot it builds
    const { code, output } = await interruptWhenSeen(
      [...replay, '--snapshot', 'cut'],
      embeddedEnv(dataDir, {}),
      { seen: 'snapshot cut (job', signal: 'SIGINT' },
    );

    // then it exits as interrupted, naming the job to follow and the snapshot to delete
    expect(code).toBe(130);
    const job = /snapshot cut \(job ([\w-]+)\)/.exec(output)?.[1];
    expect(output).toContain(`snapshot cut (job ${job}) is left building`);
    expect(output).toContain(`GET /admin/jobs/${job}`);
    expect(output).toContain('DELETE /admin/snapshots/cut');
  }, 120_000);
});
