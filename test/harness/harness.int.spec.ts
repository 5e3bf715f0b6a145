import pg from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import { createTestDatabase } from './database.js';

describe('the test harness', () => {
  it('gives each suite its own database on a real PostgreSQL', async () => {
    // given two databases created for two suites
    const a = await createTestDatabase('harness');
    const b = await createTestDatabase('harness');
    const clientA = new pg.Client({ connectionString: a.url });
    const clientB = new pg.Client({ connectionString: b.url });
    await Promise.all([clientA.connect(), clientB.connect()]);
    try {
      // when one of them gets a table
      await clientA.query('CREATE TABLE t (x int)');
      // then the other does not see it, and the server is PostgreSQL
      const seen = await clientB.query(`SELECT to_regclass('public.t') AS t`);
      expect(seen.rows[0].t).toBeNull();
      const version = await clientA.query('SHOW server_version_num');
      expect(Number(version.rows[0].server_version_num)).toBeGreaterThanOrEqual(130000);
    } finally {
      await Promise.all([clientA.end(), clientB.end()]);
      await Promise.all([a.drop(), b.drop()]);
    }
  });

  it('produces and consumes through kafkajs against the real broker', async () => {
    // given a topic on the broker the harness started
    const kafka = new Kafka({
      clientId: 'harness',
      brokers: process.env.KAFKA_BROKERS!.split(','),
      logLevel: logLevel.NOTHING,
    });
    const topic = `harness-${Date.now()}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    const consumer = kafka.consumer({ groupId: `${topic}-group` });
    try {
      // when an idempotent producer sends with acks from all replicas
      await producer.connect();
      const values = Array.from({ length: 20 }, (_, i) => `message-${i}`);
      await producer.send({
        topic,
        acks: -1,
        messages: values.map((value) => ({ key: 'same-key', value })),
      });

      // then a consumer reads every message, in order for one key
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const received: string[] = [];
      await new Promise<void>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) => {
            received.push(String(message.value));
            if (received.length === values.length) resolve();
          },
        });
      });
      expect(received).toEqual(values);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.disconnect();
    }
  });
});
