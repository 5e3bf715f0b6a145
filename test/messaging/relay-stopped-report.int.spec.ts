import { KafkaRelay, RelayObserver } from '#messaging';
import {
  newEvent,
  openStoreFixture,
  relayReached,
  uniquePrefix,
  waitUntil,
  type StoreFixture,
} from './relay-test-kit.js';

/**
 * What an API apart from its worker shows of a relay that was shut down on purpose (the worker
 * stopped for a deploy): it said `unknown` only once the relay's last report had grown 15 s old,
 * and `publishing` until then, while nothing published the events that came in.
 */
describe('a relay stopped on purpose, as the other processes see it', () => {
  let fixture: StoreFixture;
  beforeAll(async () => {
    fixture = await openStoreFixture('relay_stopped_report');
  });
  afterAll(() => fixture?.close());

  it('is `stopped` at once, and unhealthy once events wait for it', async () => {
    // given a relay that has published the log's head, and an observer on the same database
    const { store, pool } = fixture;
    const first = await store.append(
      'unit-stopped-1',
      [newEvent('UnitRegistered', { unitId: 'stopped-1', name: 'Ward 1', kind: 'ward' })],
      { expectedVersion: 'any' },
    );
    const relay = new KafkaRelay({
      eventStore: store,
      pool,
      brokers: process.env.KAFKA_BROKERS!,
      name: 'stopped-relay',
      topicPrefix: uniquePrefix('stopped'),
      reportEveryMs: 60_000,
    });
    const observer = new RelayObserver({ eventStore: store, pool, name: 'stopped-relay' });
    relay.start();
    try {
      await relayReached(relay, first.position, 'the relay published the first unit', 30_000);
      await waitUntil(
        'the observer sees the relay publishing',
        async () => (await observer.status()).state === 'publishing',
        30_000,
      );
    } finally {
      // when the relay is stopped gracefully
      await relay.stop();
    }

    // then the observer says so straight away, healthy while nothing waits
    expect(await observer.status()).toMatchObject({ state: 'stopped', healthy: true, lag: 0 });

    // and when an event comes in that no relay publishes, it is unhealthy, saying why
    await store.append(
      'unit-stopped-2',
      [newEvent('UnitRegistered', { unitId: 'stopped-2', name: 'Ward 2', kind: 'ward' })],
      { expectedVersion: 'any' },
    );
    expect(await observer.status()).toMatchObject({
      state: 'stopped',
      healthy: false,
      lag: 1,
      error: expect.stringMatching(/^the relay stopped at .* while events wait/),
    });
  }, 90_000);
});
