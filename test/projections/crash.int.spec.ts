import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { getJob, projections, startRebuild } from '#projections';
import { activityWaves, appendWaves } from '../../libs/projections/src/demo/activity-generator.js';
import { buildDist } from '../harness/built-dist.js';
import { dumpLive } from './support/dump.js';
import { projectionFixture, type Fixture } from './support/projection-fixture.js';

const root = resolve(process.cwd());
const workerScript = resolve(root, 'test/projections/fixtures/worker-process.mjs');
const KILLS = 12;

function startWorker(url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [workerScript], {
    cwd: root,
    env: { ...process.env, CRASH_DATABASE_URL: url },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((ready, fail) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && ready(child));
    child.once('exit', (code) => fail(new Error(`worker exited early (${code})`)));
  });
}

const killed = (child: ChildProcess) =>
  new Promise<void>((done) =>
    child.exitCode !== null || child.signalCode !== null
      ? done()
      : child.once('exit', () => done()),
  );
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a projection worker killed at random points', () => {
  let f: Fixture;

  beforeAll(async () => {
    // The worker runs the built code: build it (type errors elsewhere in the tree do not stop tsc emitting).
    buildDist('dist/libs/projections/src/index.js');
    f = await projectionFixture('proj_crash');
  }, 300_000);
  afterAll(() => f?.close());

  it(`leaves read models equal to a clean rebuild after ${KILLS} SIGKILLs while events are appended`, async () => {
    let appending = true;
    // paced so that the appends go on through all the kills
    const appends = (async () => {
      let events = 0;
      for (const wave of activityWaves({
        targetEvents: 5_000,
        members: 80,
        campaigns: 3,
        concurrentShifts: 30,
        seed: 5,
      })) {
        const result = await appendWaves(f.store, [wave], 4);
        f.track(result.lastPosition);
        events += result.events;
        await pause(400);
      }
      return { events };
    })().finally(() => (appending = false));
    const checkpoints: string[] = [];
    for (let kill = 0; kill < KILLS || appending; kill++) {
      const worker = await startWorker(f.url);
      await pause(150 + Math.floor(Math.random() * 900));
      worker.kill('SIGKILL');
      await killed(worker);
      const { rows } = await f.pool.query<{ p: string }>(
        `SELECT string_agg(position::text, ',' ORDER BY projection) AS p FROM projection_checkpoints WHERE state = 'live'`,
      );
      checkpoints.push(rows[0]!.p);
    }
    const { events } = await appends;
    process.stderr.write(`checkpoints after each kill: ${checkpoints.join(' | ')}\n`);

    const last = await startWorker(f.url);
    await f.settle(120_000).finally(() => last.kill('SIGTERM'));
    await killed(last);
    const afterCrashes = await dumpLive(f.pool);
    const id = await startRebuild(f.pool, projections, {});
    const deadline = Date.now() + 120_000;
    while ((await getJob(f.pool, id))!.state === 'running') {
      if (Date.now() > deadline)
        throw new Error(
          `rebuild job ${id} still running after 120 s: ${JSON.stringify(await getJob(f.pool, id))}`,
        );
      await f.runner.runOnce();
    }

    expect(events).toBeGreaterThanOrEqual(5_000);
    expect(checkpoints.length).toBeGreaterThanOrEqual(KILLS);
    expect(new Set(checkpoints).size).toBeGreaterThan(KILLS / 2); // the workers were killed while making progress
    expect((await getJob(f.pool, id))!.state).toBe('done');
    expect(await dumpLive(f.pool)).toEqual(afterCrashes);
  }, 600_000);
});
