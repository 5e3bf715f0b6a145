import { KafkaRelay } from '#messaging';
import {
  newEvent,
  openStoreFixture,
  uniquePrefix,
  type StoreFixture,
  publishedMessages,
} from './relay-test-kit.js';

// The store keeps whatever a writer appended (jsonb, nothing more): an import, `seed synthetic` or
// another version of the code may leave an event without a metadata field or with data that is not an
// object. The relay publishes it with what can be read and goes on; it used to fail on it and retry
// the same batch for ever, holding every later event back.
describe('the Kafka relay meets events of odd stored shapes', () => {
  let fixture: StoreFixture;
  beforeAll(async () => {
    fixture = await openStoreFixture('relay_odd');
  });
  afterAll(() => fixture?.close());

  it('publishes an event without a correlation id, with data that is not an object or all sealed, and the events after it', async () => {
    // given a stream whose second event lacks metadata and whose third has null data
    const { store, pool } = fixture;
    const prefix = uniquePrefix('odd');
    const plain = newEvent('ShiftStarted', { shiftId: 'o1', memberId: 'm1' });
    const bare = { ...newEvent('ShiftEnded', { shiftId: 'o1' }), metadata: {} };
    const nullData = { ...newEvent('ShiftVerified', {}), data: null };
    // and whose fourth is all sealed (the vault's form: no field to drop, all of it personal data)
    const sealed = {
      ...newEvent('ShiftVerified', {}),
      data: { $sealed: 1, subject: 'member-m1', iv: 'aXY=', tag: 'dGFn', data: 'Y2lwaGVy' },
    };
    const after = newEvent('ShiftRejected', { shiftId: 'o1', reason: 'late' });
    await store.append(
      'shift-o1',
      [plain, bare, nullData, sealed, after] as unknown as Parameters<typeof store.append>[1],
      { expectedVersion: 'no_stream' },
    );
    const warnings: string[] = [];
    const relay = new KafkaRelay({
      eventStore: store,
      pool,
      brokers: process.env.KAFKA_BROKERS!,
      name: 'odd',
      topicPrefix: prefix,
      partitions: 1,
      logger: { log: () => undefined, warn: (line) => warnings.push(line) },
    });

    // when the relay runs
    const received = await publishedMessages(
      relay,
      store,
      process.env.KAFKA_BROKERS!,
      [`${prefix}shift`],
      5,
    );

    // then all five are in the topic in stream order, each with what could be read of it
    const [first, second, third, fourth, fifth] = received;
    expect(received.map((r) => r.message.eventId)).toEqual(
      [plain, bare, nullData, sealed, after].map((e) => e.eventId),
    );
    expect(received.map((r) => r.message.streamVersion)).toEqual([0, 1, 2, 3, 4]);
    expect(first.message).not.toHaveProperty('withheld');
    expect(second.message).toMatchObject({ correlationId: null, data: { shiftId: 'o1' } });
    expect(second.headers).not.toHaveProperty('correlation-id');
    expect(second.headers['event-id']).toBe(bare.eventId);
    expect(third.message).toMatchObject({ data: {}, withheld: 'unreadable' });
    expect(fourth.message).toMatchObject({ data: {}, withheld: 'personal_data' });
    expect(JSON.stringify(fourth.message)).not.toMatch(/\$sealed|Y2lwaGVy|member-m1/);
    expect(fifth.message.data).toEqual({ shiftId: 'o1', reason: 'late' });
    // and each withheld data was logged once, by event id and type
    expect(warnings.filter((line) => line.includes('without its data'))).toEqual([
      expect.stringContaining(nullData.eventId),
      expect.stringContaining(sealed.eventId),
    ]);
  }, 90_000);
});
