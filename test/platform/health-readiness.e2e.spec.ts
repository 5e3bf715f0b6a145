import request from 'supertest';
import { freePort } from '#platform';
import { startTestApp, type TestApp } from './test-app.js';

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Readiness reflects what serves requests (issue 9, defect 8): with the Kafka broker unreachable the
 * API still records and answers, so /health must not tell a readiness probe to take it out of
 * service; it reports the relay as degraded, with the backlog waiting for the broker.
 */
describe('/health while the Kafka broker is unreachable', () => {
  let t: TestApp;
  beforeAll(async () => {
    // a port nothing listens on: every connection to the "broker" is refused
    const closed = await freePort();
    t = await startTestApp('health_kafka_away', {
      worker: true,
      kafkaBrokers: [`127.0.0.1:${closed}`],
      kafkaTopicPrefix: 'health-away.',
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 200 degraded with the relay failing and its backlog, while commands answer 201', async () => {
    // given an event recorded while the broker is away
    const recorded = await request(t.server)
      .post('/units')
      .set('Authorization', await t.bearer({ sub: 'op', role: 'operator' }))
      .send({ id: 'hk-ward', name: 'Đoàn phường 3', kind: 'ward' });
    expect(recorded.status).toBe(201);

    // when the relay has failed to reach the broker
    let relay: Record<string, unknown> | undefined;
    const deadline = Date.now() + 30_000;
    while (!relay?.lastError && Date.now() < deadline) {
      await pause(200);
      relay = (await request(t.server).get('/health')).body.components?.['kafka-relay'];
    }
    expect(relay?.lastError).toEqual(expect.any(String));

    // then /health is 200, degraded, the database reachable, the relay degraded with its backlog
    const res = await request(t.server).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'degraded', database: { reachable: true } });
    expect(res.body.components['kafka-relay']).toMatchObject({
      enabled: true,
      healthy: false,
      connected: false,
      state: 'degraded',
    });
    expect(res.body.components['kafka-relay'].backlog).toBeGreaterThanOrEqual(1);
    expect(res.body.components['kafka-relay'].lastError).not.toMatch(/NonRetriable/);
  });
});
