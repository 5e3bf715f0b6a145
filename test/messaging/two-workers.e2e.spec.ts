import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { RecordedEvent } from '#event-store';
import { buildApi } from '../platform/support/api-process.js';
import {
  expectTopicHoldsEvery,
  newEvent,
  openStoreFixture,
  readCommitted,
  uniquePrefix,
  waitUntil,
  type StoreFixture,
} from './relay-test-kit.js';

const root = process.cwd();
const builtWorker = resolve(root, 'dist/apps/worker/src/main.js');

type WorkerProcess = Readonly<{ child: ChildProcess; exited: Promise<void>; output: string[] }>;

/** `npm run start:worker` as an operator runs it, on the suite's database and the test broker. */
function startWorker(env: NodeJS.ProcessEnv): WorkerProcess {
  const child = spawn(process.execPath, [builtWorker], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const collect = (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return { child, exited, output };
}

/**
 * Two workers started by mistake against one database (a second `npm run start:worker`, or one
 * beside `npm start`): each ran the Kafka relay from the same checkpoint, and every event was
 * published twice, beyond the at-least-once of a crash. One publishes; the other takes over when it
 * goes, even killed -9, from the stored checkpoint.
 */
describe('two workers on one database', () => {
  let fixture: StoreFixture;
  let dataDir: string;
  const workers: WorkerProcess[] = [];
  const prefix = uniquePrefix('two-workers');
  const topic = `${prefix}other`;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    buildApi();
    fixture = await openStoreFixture('two_workers', 2);
    dataDir = mkdtempSync(join(tmpdir(), 'two-workers-'));
    env = {
      DATABASE_URL: fixture.url,
      KAFKA_BROKERS: process.env.KAFKA_BROKERS!,
      KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_PARTITIONS: '2',
      AUTH_JWT_SECRET: 'two-workers-test-secret-long-enough',
      DATA_DIR: dataDir,
      LOG_FORMAT: 'json',
    };
    delete env.EVENTSTORE_URL;
  }, 300_000);

  afterAll(async () => {
    for (const worker of workers) worker.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    await fixture?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const relayCheckpoint = async () =>
    BigInt(
      (
        await fixture.pool
          .query<{ position: string }>(`SELECT position FROM relay_checkpoints`)
          .catch(() => ({ rows: [] as { position: string }[] }))
      ).rows[0]?.position ?? -1,
    );

  const appendEvents = async (from: number, count: number) => {
    let last = 0n;
    for (let i = from; i < from + count; i++)
      ({ position: last } = await fixture.store.append(
        `probe-${i % 7}`,
        [newEvent('ProbeNoted', { n: i })],
        { expectedVersion: 'any' },
      ));
    return last;
  };

  let first: WorkerProcess;
  let second: WorkerProcess;
  /** The first worker, once it has published 10 events appended from `from`, then the second. */
  const startTwoWorkers = async (from: number): Promise<void> => {
    first = startWorker(env);
    workers.push(first);
    const before = await appendEvents(from, 10);
    await waitUntil(
      'the first worker published',
      async () => (await relayCheckpoint()) >= before,
      60_000,
    );
    second = startWorker(env);
    workers.push(second);
    await waitUntil(
      'the second worker runs',
      () => second.output.some((line) => line.includes('running projections and the Kafka relay')),
      60_000,
    );
  };

  it('publishes each event once while both run', async () => {
    // given: a worker that published what the log held, and a second one started beside it
    await startTwoWorkers(0);

    // when: 100 more events are appended, and both workers are stopped once they are published
    const last = await appendEvents(10, 100);
    await waitUntil(
      'the events were published',
      async () => (await relayCheckpoint()) >= last,
      60_000,
    );
    for (const worker of [first, second]) worker.child.kill('SIGTERM');
    await Promise.all([first.exited, second.exited]);

    // then: the topic holds each of the 110 events once, as a read_committed consumer reads it
    expect(readCommitted(process.env.KAFKA_BROKERS!, [topic]).records).toHaveLength(110);
  }, 180_000);

  it('goes on publishing from the other worker when the one publishing is killed -9', async () => {
    // given: two workers again, the first publishing, the second started after it
    await startTwoWorkers(110);

    // when: the first is killed -9 and 50 more events are appended
    first.child.kill('SIGKILL');
    await first.exited;
    const last = await appendEvents(120, 50);

    // then: the second publishes them; the topic holds all 170, each stream in order
    await waitUntil(
      'the second worker took over',
      async () => (await relayCheckpoint()) >= last,
      60_000,
    );
    second.child.kill('SIGTERM');
    await second.exited;
    const all: RecordedEvent[] = await fixture.store.readAll({ maxCount: 1_000 });
    expect(all).toHaveLength(170);
    expectTopicHoldsEvery(process.env.KAFKA_BROKERS!, topic, all);
  }, 180_000);
});
