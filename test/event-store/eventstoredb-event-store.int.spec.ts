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
  console.warn(reason);
  describe.skip(reason, () => {
    it('passes the event store contract', () => undefined);
  });
}
