// Starts the real services the suites need, unless the environment points at running ones:
// an embedded PostgreSQL (DATABASE_URL) and a local Apache Kafka 4 broker in KRaft mode (KAFKA_BROKERS).
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startEmbeddedPostgres } from '../../tools/embedded-postgres.mjs';
import { startKafkaBroker } from '../../tools/kafka-broker.mjs';

const runDir = resolve(process.cwd(), '.test-run');

export default async function globalSetup() {
  mkdirSync(runDir, { recursive: true });
  const started = {};
  if (!process.env.DATABASE_URL) {
    const pg = await startEmbeddedPostgres({
      dataDir: resolve(runDir, `pg-${process.pid}`),
      persistent: false,
    });
    process.env.DATABASE_URL = pg.url;
    started.postgres = pg;
  }
  if (!process.env.KAFKA_BROKERS) {
    const broker = await startKafkaBroker({ dir: resolve(runDir, `kafka-${process.pid}`) });
    process.env.KAFKA_BROKERS = broker.brokers;
    started.kafka = broker;
  }
  globalThis.__services__ = started;
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
