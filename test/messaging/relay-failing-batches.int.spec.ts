import { KafkaRelay, type RelayStatus } from '#messaging';
import {
  newEvent,
  openStoreFixture,
  uniquePrefix,
  waitUntil,
  type StoreFixture,
  relayReached,
} from './relay-test-kit.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A relay whose every batch fails after it connected (here: its checkpoint cannot be written, as when
// the table is gone or its role may not write it) reconnects session after session. Connecting is not
// recovering: /health must say degraded the whole time, and the log must not say it recovered.
describe('the Kafka relay while every batch fails after connecting', () => {
  let fixture: StoreFixture;
  beforeAll(async () => {
    fixture = await openStoreFixture('relay_failing');
  });
  afterAll(() => fixture?.close());

  it('reports itself degraded, never recovered, until a batch is acknowledged again', async () => {
    // given a relay that has published
    const { store, pool } = fixture;
    const lines: string[] = [];
    const relay = new KafkaRelay({
      eventStore: store,
      pool,
      brokers: process.env.KAFKA_BROKERS!,
      name: 'failing',
      topicPrefix: uniquePrefix('failing'),
      partitions: 1,
      initialBackoffMs: 50,
      maxBackoffMs: 200,
      logger: { log: (m) => lines.push(m), warn: (m) => lines.push(`warn ${m}`) },
    });
    await store.append('shift-f1', [newEvent('ShiftStarted', { shiftId: 'f1' })], {
      expectedVersion: 'no_stream',
    });
    relay.start();
    const samples: RelayStatus[] = [];
    try {
      await waitUntil(
        'the relay published',
        async () => (await relay.status()).published > 0,
        30_000,
      );

      // when its checkpoint table goes away and an event is appended
      await pool.query('ALTER TABLE relay_checkpoints RENAME TO relay_checkpoints_away');
      await store.append('shift-f1', [newEvent('ShiftEnded', { shiftId: 'f1' })], {
        expectedVersion: 0n,
      });
      await waitUntil(
        'the relay failed three times',
        () => lines.filter((l) => l.startsWith('warn failure #')).length >= 3,
        30_000,
      );
      for (let i = 0; i < 20; i++) {
        samples.push(await relay.status());
        await pause(25);
      }
      const recoveredWhileFailing = lines.filter((l) => l.startsWith('recovered')).length;

      // and when the table comes back
      await pool.query('ALTER TABLE relay_checkpoints_away RENAME TO relay_checkpoints');
      await relayReached(
        relay,
        () => store.headPosition(),
        'the checkpoint reached the last event',
        30_000,
      );

      // then, while failing, every status said degraded with the error, and no line said recovered
      expect(samples.filter((s) => s.healthy || s.state !== 'degraded')).toEqual([]);
      expect(samples.every((s) => s.lastError !== null)).toBe(true);
      expect(recoveredWhileFailing).toBe(0);
      // and afterwards it says it recovered, once, and is healthy
      await waitUntil(
        'it says it recovered',
        () => lines.some((l) => l.startsWith('recovered')),
        10_000,
      );
      expect(lines.filter((l) => l.startsWith('recovered'))).toHaveLength(1);
      expect(await relay.status()).toMatchObject({
        healthy: true,
        state: 'publishing',
        lastError: null,
      });
    } finally {
      await relay.stop();
    }
  }, 120_000);
});
