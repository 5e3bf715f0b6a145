import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import ts from 'typescript';
import type { PostgresEventStore } from '#event-store';
import {
  expectTopicHoldsEvery,
  newEvent,
  uniquePrefix,
  waitUntil,
  openStoreFixture,
  type StoreFixture,
} from './relay-test-kit.js';
import { buildDist } from '../harness/built-dist.js';

const root = process.cwd();
const entry = resolve(root, 'dist/test/messaging/fixtures/relay-process.js');

/**
 * The relay's entry script as plain node runs it: what it imports from the build (dist/, current once
 * per run, test/harness/built-dist.ts), and this one file transpiled beside it. A tsc of its own
 * compiled all it imports again (6-8 s) and wrote that over dist/libs while other suites ran it.
 * `npm run typecheck` checks its types.
 */
function buildRelayProcess(): void {
  buildDist('dist/libs/messaging/src/relay/kafka-relay.js');
  const source = resolve(root, 'test/messaging/fixtures/relay-process.ts');
  const { outputText } = ts.transpileModule(readFileSync(source, 'utf8'), {
    fileName: source,
    compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2023 },
  });
  mkdirSync(dirname(entry), { recursive: true });
  writeFileSync(entry, outputText);
}

type RelayProcess = { child: ChildProcess; batchesSent: () => number; exited: Promise<void> };

function startRelayProcess(env: Record<string, string>): RelayProcess {
  const child = spawn(process.execPath, [entry], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let batches = 0;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.startsWith('sending ')) batches += 1;
  });
  child.stderr!.resume();
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return { child, batchesSent: () => batches, exited };
}

describe('the Kafka relay process', () => {
  let fixture: StoreFixture;
  let store: PostgresEventStore;
  let pool: pg.Pool;
  const running: RelayProcess[] = [];

  beforeAll(async () => {
    buildRelayProcess();
    fixture = await openStoreFixture('relay_crash', 2);
    ({ store, pool } = fixture);
  }, 180_000);

  afterAll(async () => {
    for (const relay of running) relay.child.kill('SIGKILL');
    await fixture?.close();
  });

  const checkpoint = async (name: string): Promise<bigint | null> => {
    const result = await pool
      .query<{ position: string }>('SELECT position FROM relay_checkpoints WHERE name = $1', [name])
      .catch(() => ({ rows: [] }));
    return result.rows.length ? BigInt(result.rows[0].position) : null;
  };

  it('loses nothing when SIGKILLed with a batch in flight and restarted', async () => {
    // given 3,000 events in the store and a relay process publishing them in batches of 100
    for (let i = 0; i < 3_000; i += 10) {
      const streamId = `shift-crash-${(i / 10) % 30}`;
      await store.append(
        streamId,
        Array.from({ length: 10 }, (_, j) =>
          newEvent('ShiftEnded', { shiftId: streamId, n: i + j }),
        ),
        { expectedVersion: 'any' },
      );
    }
    const prefix = uniquePrefix('crash');
    const env = {
      DATABASE_URL: fixture.url,
      KAFKA_BROKERS: process.env.KAFKA_BROKERS!,
      RELAY_NAME: 'crash',
      RELAY_TOPIC_PREFIX: prefix,
      RELAY_BATCH_SIZE: '100',
    };
    const first = startRelayProcess(env);
    running.push(first);

    // when it is SIGKILLed right after handing its 8th batch to the broker
    await waitUntil('the relay sent 8 batches', () => first.batchesSent() >= 8, 60_000);
    first.child.kill('SIGKILL');
    await first.exited;
    const head = await store.headPosition();
    const atCrash = await checkpoint('crash');
    expect(atCrash).not.toBeNull();
    expect(atCrash! < head).toBe(true);

    // and more events are appended while it is down, then it is started again
    let last = 0n;
    for (let i = 0; i < 500; i += 10) {
      const streamId = `shift-crash-${(i / 10) % 30}`;
      ({ position: last } = await store.append(
        streamId,
        Array.from({ length: 10 }, (_, j) =>
          newEvent('ShiftEnded', { shiftId: streamId, n: 3_000 + i + j }),
        ),
        { expectedVersion: 'any' },
      ));
    }
    const second = startRelayProcess(env);
    running.push(second);
    await waitUntil(
      'the restarted relay reached the last event',
      async () => ((await checkpoint('crash')) ?? -1n) >= last,
      60_000,
    );
    second.child.kill('SIGTERM');
    await second.exited;

    // then the topic holds every event, each stream in order, any re-delivery identical to the first copy
    const all = await store.readAll({ maxCount: 100_000 });
    expect(all.length).toBe(3_500);
    expectTopicHoldsEvery(process.env.KAFKA_BROKERS!, `${prefix}shift`, all);
  }, 180_000);
});
