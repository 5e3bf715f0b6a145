import { freePort } from '#platform';
import { buildApi } from './support/api-process.js';
import {
  clusterStopped,
  embeddedEnv,
  interruptWhenSeen,
  scratchDataDir,
} from './support/interrupted-start.js';

/**
 * Probe 3: a Ctrl-C while the server was still starting (the embedded PostgreSQL up, the modules not
 * yet) ended the process at once, before main.ts had installed its handlers. The cluster, a detached
 * child, went on running with nobody to stop it.
 */
describe('stopping the server while it starts', () => {
  const { dataDir, remove } = scratchDataDir('shutdown-during-start');
  beforeAll(() => buildApi(), 300_000);
  afterAll(remove);

  it('stops the embedded PostgreSQL it started', async () => {
    // given the server starting on an empty DATA_DIR, its own PostgreSQL now accepting connections
    const env = embeddedEnv(dataDir, { PORT: String(await freePort()), HOST: '127.0.0.1' });

    // when it is interrupted before it listens
    const { code, output } = await interruptWhenSeen(['dist/apps/api/src/main.js'], env, {
      seen: 'embedded PostgreSQL listening',
      signal: 'SIGINT',
    });

    // then it exits cleanly, and the cluster's postmaster is gone with it, which its last line says
    expect(output).not.toMatch(/"context":"Main","msg":"listening on/);
    expect(code).toBe(0);
    expect(clusterStopped(dataDir)).toBe(true);
    expect(output).toMatch(/embedded PostgreSQL stopped/);
  }, 120_000);
});
