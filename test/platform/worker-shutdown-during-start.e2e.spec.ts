import { buildApi } from './support/api-process.js';
import {
  clusterStopped,
  embeddedEnv,
  interruptWhenSeen,
  scratchDataDir,
} from './support/interrupted-start.js';

/**
 * A SIGTERM to the worker apart (`npm run start:worker`, RUN_WORKER=false for the API) while
 * it was starting (its embedded PostgreSQL up, the modules not yet) ended it at once with 143: it
 * installed its signal handlers only once the modules were up, and the cluster, a detached child,
 * went on running with nobody to stop it (README: whichever started it stops it on exit).
 */
describe('stopping the worker apart while it starts', () => {
  const { dataDir, remove } = scratchDataDir('worker-shutdown-during-start');
  beforeAll(() => buildApi(), 300_000);
  afterAll(remove);

  it('stops the embedded PostgreSQL it started', async () => {
    // given the worker starting on an empty DATA_DIR, its own PostgreSQL now accepting connections
    const env = embeddedEnv(dataDir, { LOG_FORMAT: 'json' });

    // when it is told to stop before its projections run
    const { code, output } = await interruptWhenSeen(['dist/apps/worker/src/main.js'], env, {
      seen: 'embedded PostgreSQL listening',
      signal: 'SIGTERM',
    });

    // then it exits cleanly, and the cluster's postmaster is gone with it
    expect(output).not.toContain('running projections');
    expect(code).toBe(0);
    expect(clusterStopped(dataDir)).toBe(true);
  }, 120_000);
});
