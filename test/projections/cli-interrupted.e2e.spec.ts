import {
  clusterStopped,
  embeddedEnv,
  interruptWhenSeen,
  scratchDataDir,
} from '../platform/support/interrupted-start.js';
import { buildCli } from './support/built-cli.js';

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
    const { code } = await interruptWhenSeen([...seed, '--seed', '5'], embeddedEnv(dataDir, {}), {
      seen: 'embedded PostgreSQL listening',
      afterMs: 1_000,
      signal: 'SIGINT',
    });

    // then it exits as interrupted, and the cluster's postmaster is gone with it
    expect(code).toBe(130);
    expect(clusterStopped(dataDir)).toBe(true);
  }, 120_000);
});
