import { freePort } from '#platform';
import { buildApi } from './support/api-process.js';
import {
  clusterStopped,
  embeddedEnv,
  interruptWhenSeen,
  scratchDataDir,
} from './support/interrupted-start.js';

/**
 * Under API_PROCESSES > 1, the supervisor installed its signal handlers only once the
 * embedded PostgreSQL was up. A SIGTERM while it started ended the supervisor at once (143); the
 * start it had begun went on without it, and a postmaster that came up was left running, a detached
 * child with nobody to stop it (seen with `kill -TERM` 1.65 s after the start).
 */
describe('stopping the supervisor of several API processes while it starts', () => {
  const { dataDir, remove } = scratchDataDir('supervisor-shutdown-during-start');
  beforeAll(() => buildApi(), 300_000);
  afterAll(remove);

  it('waits for the embedded PostgreSQL to be up, then stops it and exits 0', async () => {
    // given the supervisor of two API processes creating its PostgreSQL in an empty DATA_DIR
    const env = embeddedEnv(dataDir, {
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      API_PROCESSES: '2',
      LOG_FORMAT: 'json',
    });

    // when it is told to stop while the cluster is being created
    const { code, output } = await interruptWhenSeen(['dist/apps/api/src/main.js'], env, {
      seen: 'initialising PostgreSQL',
      signal: 'SIGTERM',
    });

    // then it exits cleanly once the start is over, no API process started, and no postmaster is left
    expect(code).toBe(0);
    expect(output).not.toContain('API processes share port');
    expect(clusterStopped(dataDir)).toBe(true);
  }, 120_000);
});
