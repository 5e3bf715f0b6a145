// Starts the real services the suites need, unless the environment points at running ones:
// an embedded PostgreSQL (DATABASE_URL) and a local Apache Kafka 4 broker in KRaft mode (KAFKA_BROKERS).
// Both start at once, and dist/ is built meanwhile, once for the run: the suites that run the built
// API or CLI then find it current (tools/build-if-stale.mjs) instead of each running tsc.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startEmbeddedPostgres } from '../../tools/embedded-postgres.mjs';
import { startKafkaBroker } from '../../tools/kafka-broker.mjs';

const runDir = resolve(process.cwd(), '.test-run');

/** Builds dist/ in a child process (type errors do not stop tsc emitting; the suites check their entry). */
function buildDist() {
  const tsc = spawn(process.execPath, [resolve(process.cwd(), 'tools/build-if-stale.mjs')], {
    stdio: 'ignore',
  });
  return new Promise((done) => {
    tsc.once('exit', done);
    tsc.once('error', done);
  });
}

export default async function globalSetup() {
  mkdirSync(runDir, { recursive: true });
  const started = {};
  globalThis.__services__ = started;
  const build = buildDist();
  const postgres = async () => {
    if (process.env.DATABASE_URL) return;
    started.postgres = await startEmbeddedPostgres({
      dataDir: resolve(runDir, `pg-${process.pid}`),
      persistent: false,
    });
    process.env.DATABASE_URL = started.postgres.url;
  };
  const kafka = async () => {
    if (process.env.KAFKA_BROKERS) return;
    started.kafka = await startKafkaBroker({ dir: resolve(runDir, `kafka-${process.pid}`) });
    process.env.KAFKA_BROKERS = started.kafka.brokers;
  };
  const services = await Promise.allSettled([postgres(), kafka(), build]);
  const failed = services.find((s) => s.status === 'rejected');
  if (failed) {
    // Jest runs no teardown after a failed setup: stop whichever service did start.
    await Promise.allSettled([started.kafka?.stop(), started.postgres?.stop()]);
    throw failed.reason;
  }
  writeFileSync(
    resolve(runDir, 'services.json'),
    JSON.stringify({
      DATABASE_URL: process.env.DATABASE_URL,
      KAFKA_BROKERS: process.env.KAFKA_BROKERS,
    }),
  );
  process.stdout.write(
    `\nservices: PostgreSQL ${started.postgres ? 'embedded' : 'from DATABASE_URL'}, Kafka ${started.kafka ? `local broker ${process.env.KAFKA_BROKERS}` : 'from KAFKA_BROKERS'}\n`,
  );
}
