import { createEventStoreDbStore } from '#event-store';
import { describeEventStoreContract } from '../../libs/event-store/src/testing/event-store.contract.js';

/**
 * The same contract against a real EventStoreDB / KurrentDB when EVENTSTORE_URL points at one
 * (e.g. `esdb://localhost:2113?tls=false` with docker/compose.yml). None can be installed on the
 * project's machines, so without it the run is skipped, saying why.
 */
const url = process.env.EVENTSTORE_URL;

if (url) {
  describeEventStoreContract('EventStoreDB', async () => {
    const store = createEventStoreDbStore(url);
    await store.init();
    return { store, cleanup: () => store.close() };
  });
} else {
  const reason = 'EventStoreDB contract skipped: EVENTSTORE_URL is unset';
  // Shown because the file also runs the test below (Jest drops the output of an all-skipped file).
  console.warn(reason);
  describe.skip(reason, () => {
    it('passes the event store contract', () => undefined);
  });
}

describe('the EventStoreDB adapter without a server', () => {
  it('fails init() with an error instead of hanging', async () => {
    const store = createEventStoreDbStore(
      'esdb://127.0.0.1:1?tls=false&maxDiscoverAttempts=1&discoveryInterval=10',
    );
    try {
      await expect(store.init()).rejects.toThrow();
    } finally {
      await store.close();
    }
  }, 30_000);
});
