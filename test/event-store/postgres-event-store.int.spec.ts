import { createPostgresEventStore } from '#event-store';
import { describeEventStoreContract } from '../../libs/event-store/src/testing/event-store.contract.js';
import { createTestDatabase } from '../harness/database.js';

describeEventStoreContract('PostgreSQL', async () => {
  const database = await createTestDatabase('es_contract');
  const store = createPostgresEventStore({ connectionString: database.url });
  await store.init();
  return {
    store,
    cleanup: async () => {
      await store.close();
      await database.drop();
    },
  };
});
