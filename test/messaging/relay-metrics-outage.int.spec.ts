import net from 'node:net';
import { KafkaRelay, RelayCheckpointStore } from '#messaging';
import {
  newEvent,
  openStoreFixture,
  relayGauge,
  waitUntil,
  type StoreFixture,
} from './relay-test-kit.js';

/** A loopback port nothing listens on: the broker is unreachable from the start. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

// An alert on relay_lag_events is for the time the relay cannot publish; only publishing (or a read
// of /health) used to count the backlog, so /metrics showed the last figure, or none, all through an
// outage.
describe('the Kafka relay metrics while the broker is unreachable', () => {
  let fixture: StoreFixture;
  beforeAll(async () => {
    fixture = await openStoreFixture('relay_metrics_outage');
  });
  afterAll(() => fixture?.close());

  it('show the backlog and the checkpoint without anyone reading its status', async () => {
    // given three events, the first acknowledged by an earlier run of the relay
    const { store, pool } = fixture;
    const first = await store.append('shift-m1', [newEvent('ShiftStarted', { shiftId: 'm1' })], {
      expectedVersion: 'no_stream',
    });
    await store.append(
      'shift-m1',
      [newEvent('ShiftEnded', { shiftId: 'm1' }), newEvent('ShiftVerified', { shiftId: 'm1' })],
      { expectedVersion: 0n },
    );
    const name = 'metrics-outage';
    const checkpoints = new RelayCheckpointStore(pool, name);
    await checkpoints.init();
    await checkpoints.save(first.position);
    // and a broker that is unreachable from the start
    const warnings: string[] = [];
    const relay = new KafkaRelay({
      eventStore: store,
      pool,
      brokers: `127.0.0.1:${await closedPort()}`,
      name,
      initialBackoffMs: 50,
      maxBackoffMs: 200,
      logger: { log: () => undefined, warn: (line) => warnings.push(line) },
    });

    // when the relay has failed a few times
    relay.start();
    try {
      await waitUntil(
        'the relay failed twice',
        () => warnings.some((line) => line.startsWith('failure #2')),
        30_000,
      );

      // then /metrics' series say two events wait after the stored checkpoint (counted in the
      // background of a retry)
      await waitUntil(
        'the backlog is counted',
        async () => (await relayGauge('relay_lag_events', name)) !== undefined,
        10_000,
      );
      expect(await relayGauge('relay_lag_events', name)).toBe(2);
      expect(await relayGauge('relay_checkpoint', name)).toBe(Number(first.position));
      expect(await relay.status()).toMatchObject({ state: 'degraded', lag: 2, backlog: 2 });
    } finally {
      await relay.stop();
    }
  }, 60_000);
});
