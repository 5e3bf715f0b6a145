import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApi, startApiProcess, type ApiProcess } from './support/api-process.js';

const SECRET = 'hang-up-secret-of-sufficient-length';

const exited = (child: ApiProcess['child']) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((done) => child.once('exit', () => done()));

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Waits up to 30 s for `pid` to be gone; whether it is. */
async function gone(pid: number): Promise<boolean> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
    if (!isRunning(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !isRunning(pid);
}

// A terminal closed, or an ssh session dropped, under `npm start` sends SIGHUP to the processes it
// ran. Its default ended them at once, before any shutdown hook: the embedded PostgreSQL (a detached
// child) went on running, holding DATA_DIR and its port, with nobody to stop it.
describe('the API when its terminal goes away (SIGHUP)', () => {
  let dataDir: string;
  let cluster: number | undefined;
  beforeAll(() => buildApi(), 120_000);
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'hang-up-'));
  });
  afterEach(() => {
    // a cluster the API left running (the defect) would outlive the suite
    if (cluster !== undefined && isRunning(cluster)) process.kill(cluster, 'SIGTERM');
    cluster = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  const postmaster = () =>
    (cluster = Number(
      readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
    ));

  it.each([
    ['npm start (the worker inline)', { processes: 1 }],
    ['API_PROCESSES=2 (their supervisor and its children)', { processes: 2 }],
  ])(
    '%s shuts down and stops the embedded PostgreSQL',
    async (_what, { processes }) => {
      // given the API on its embedded PostgreSQL
      const api = await startApiProcess('', SECRET, { processes, env: { DATA_DIR: dataDir } });
      postmaster();
      try {
        // when its terminal hangs up
        api.child.kill('SIGHUP');
        await exited(api.child);
      } finally {
        await api.stop();
      }
      // then it said so, exited 0, and left no PostgreSQL behind
      expect(api.output.some(({ line }) => line.includes('SIGHUP'))).toBe(true);
      expect(api.child.exitCode).toBe(0);
      expect(await gone(cluster!)).toBe(true);
    },
    120_000,
  );

  it('the worker apart shuts down too, and the API stops PostgreSQL when it goes', async () => {
    // given the API and its worker apart on one embedded PostgreSQL
    const api = await startApiProcess('', SECRET, { worker: 'apart', env: { DATA_DIR: dataDir } });
    postmaster();
    const [, workerPid] = api.pids;
    try {
      // when the worker's terminal hangs up, then the API's
      process.kill(workerPid!, 'SIGHUP');
      expect(await gone(workerPid!)).toBe(true);
      api.child.kill('SIGHUP');
      await exited(api.child);
    } finally {
      await api.stop();
    }
    // then both said so and no PostgreSQL is left behind
    expect(api.output.filter(({ line }) => line.includes('SIGHUP: shutting down'))).toHaveLength(2);
    expect(await gone(cluster!)).toBe(true);
  }, 120_000);
});
