import pg from 'pg';
import { signToken } from '#platform';
import { createTestDatabase } from '../harness/database.js';
import { buildApi, startApiProcess, type ApiProcess } from '../platform/support/api-process.js';
import { startDedicatedBroker, type LocalBroker } from './dedicated-broker.js';
import { uniquePrefix, waitUntil } from './relay-test-kit.js';

const SECRET = 'split-relay-health-secret-long-enough';

type Relay = { healthy: boolean; state: string; lastError: string | null; error?: string };
type Health = { status: string; components: { 'kafka-relay'?: Relay } };

/**
 * The API apart from its worker (RUN_WORKER=false beside `npm run start:worker`, as
 * docker/compose.yml deploys them), with Kafka: the relay runs in the worker, and the API's /health,
 * which the load balancer and the operator ask, said nothing of it. It now shows what the relay keeps
 * in PostgreSQL: a broker outage, and a worker that is gone while events wait.
 */
describe('the relay in /health of an API that runs apart from its worker', () => {
  let broker: LocalBroker;
  let api: ApiProcess;
  let drop: () => Promise<void>;
  let pool: pg.Pool;
  let token: string;

  beforeAll(async () => {
    buildApi();
    broker = await startDedicatedBroker('split-relay-health');
    const db = await createTestDatabase('split_relay_health');
    drop = db.drop;
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    api = await startApiProcess(db.url, SECRET, {
      worker: 'apart',
      env: { KAFKA_BROKERS: broker.brokers, KAFKA_TOPIC_PREFIX: uniquePrefix('split-health') },
    });
    token = await signToken({ sub: 'op', role: 'operator' }, SECRET);
  }, 300_000);

  afterAll(async () => {
    await api?.stop();
    await pool?.end();
    await drop?.();
    await broker?.stop();
  });

  const health = async (): Promise<Health> =>
    (await fetch(new URL('/health', api.url))).json() as Promise<Health>;

  /** Records a unit through the API; its position. */
  let units = 0;
  const record = async (): Promise<bigint> => {
    const answer = await fetch(new URL('/units', api.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: `split-${++units}`, name: `Ward ${units}`, kind: 'ward' }),
    });
    expect(answer.status).toBe(201);
    return BigInt(((await answer.json()) as { position: number }).position);
  };

  const published = async (position: bigint) =>
    BigInt(
      (
        await pool
          .query<{ position: string }>(`SELECT position FROM relay_checkpoints`)
          .catch(() => ({ rows: [] as { position: string }[] }))
      ).rows[0]?.position ?? -1,
    ) >= position;

  it("says degraded, with the relay's error, while the broker is away, and ok once it is back", async () => {
    // given: a command the worker's relay published
    const first = await record();
    await waitUntil('the relay published the first unit', () => published(first), 60_000);
    await waitUntil(
      'the API reports the relay publishing',
      async () => (await health()).components['kafka-relay']?.state === 'publishing',
      60_000,
    );

    // when: the broker goes away and another command is recorded
    await broker.stop();
    const second = await record();

    // then: the API's /health says degraded, naming the relay's failure
    await waitUntil(
      'the API reports the relay degraded',
      async () => (await health()).components['kafka-relay']?.state === 'degraded',
      60_000,
    );
    const during = await health();
    expect(during.status).toBe('degraded');
    expect(during.components['kafka-relay']).toMatchObject({ healthy: false });
    expect(during.components['kafka-relay']!.lastError).toEqual(expect.any(String));

    // and when the broker is back, the command is published and the API says ok again
    await broker.restart();
    await waitUntil('the relay published the second unit', () => published(second), 90_000);
    await waitUntil(
      'the API reports the relay publishing again',
      async () => (await health()).status === 'ok',
      60_000,
    );
    expect((await health()).components['kafka-relay']).toMatchObject({
      healthy: true,
      state: 'publishing',
      lastError: null,
    });
  }, 240_000);

  it('says degraded when the worker was killed -9 and events wait', async () => {
    // given: the relay publishing, as the API sees it
    expect((await health()).components['kafka-relay']).toMatchObject({ healthy: true });

    // when: the worker is killed -9, and a command is recorded that no relay publishes
    process.kill(api.pids[1]!, 'SIGKILL');
    await record();

    // then: the API's /health says so (the relay's last report grows old)
    await waitUntil(
      'the API reports no relay',
      async () => (await health()).components['kafka-relay']?.healthy === false,
      60_000,
    );
    const after = await health();
    expect(after.status).toBe('degraded');
    expect(after.components['kafka-relay']).toMatchObject({
      state: 'unknown',
      error: expect.stringContaining('is the worker running?'),
    });
  }, 120_000);

  it("shows the relay's backlog and checkpoint in the API's /metrics (the worker apart has none)", async () => {
    // given: the worker gone (above), a command waiting that no relay published
    const stored = (
      await pool.query<{ position: string }>(`SELECT position FROM relay_checkpoints`)
    ).rows[0]!.position;

    // when: Prometheus scrapes the API
    const scrape = await fetch(new URL('/metrics', api.url), {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(scrape.status).toBe(200);
    const text = await scrape.text();

    // then: the backlog and the stored checkpoint are there
    const value = (name: string) =>
      new RegExp(`^${name}\\{relay="kafka-relay"\\} (\\S+)$`, 'm').exec(text)?.[1];
    expect(Number(value('relay_lag_events'))).toBeGreaterThanOrEqual(1);
    expect(value('relay_checkpoint')).toBe(stored);
  });
});
