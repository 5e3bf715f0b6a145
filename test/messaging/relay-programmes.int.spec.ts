import { KafkaRelay } from '#messaging';
import {
  newEvent,
  openStoreFixture,
  uniquePrefix,
  type StoreFixture,
  publishedMessages,
} from './relay-test-kit.js';

// Issue 14's events leave through the relay like every other: programmes on a topic of their own,
// keyed by their stream, skills on the member topic after the member's enrolment.
describe('the relay publishes programmes and skills', () => {
  let fixture: StoreFixture;
  beforeAll(async () => {
    fixture = await openStoreFixture('relay_programmes');
  });
  afterAll(() => fixture?.close());

  it('sends ProgrammeHeld and its head count to <prefix>programme, MemberSkillAttained to <prefix>member', async () => {
    const { store, pool } = fixture;
    const prefix = uniquePrefix('programmes');
    await store.append(
      'programme-g1',
      [
        newEvent('ProgrammeHeld', { programmeId: 'g1', unitId: 'u1', kind: 'awareness' }),
        newEvent('ProgrammeAttendanceRecorded', { programmeId: 'g1', members: 40, citizens: 9 }),
      ],
      { expectedVersion: 'no_stream' },
    );
    await store.append(
      'member-m1',
      [
        newEvent('MemberEnrolled', { memberId: 'm1', unitId: 'u1', displayName: 'Lê Thị Hạnh' }),
        newEvent('MemberSkillAttained', { memberId: 'm1', skill: 'vneid_level2' }),
      ],
      { expectedVersion: 'no_stream' },
    );
    const relay = new KafkaRelay({
      eventStore: store,
      pool,
      brokers: process.env.KAFKA_BROKERS!.split(','),
      name: 'programmes',
      topicPrefix: prefix,
      partitions: 2,
    });
    const received = await publishedMessages(
      relay,
      store,
      process.env.KAFKA_BROKERS!,
      [`${prefix}programme`, `${prefix}member`],
      4,
    );
    const seen = received.map((r) => [r.topic, r.key, r.message.type]);
    expect(seen).toEqual(
      expect.arrayContaining([
        [`${prefix}programme`, 'programme-g1', 'ProgrammeHeld'],
        [`${prefix}programme`, 'programme-g1', 'ProgrammeAttendanceRecorded'],
        [`${prefix}member`, 'member-m1', 'MemberSkillAttained'],
      ]),
    );
    // stored in version 1, published upcast to version 2 (docs/integration-events.md "Schema versions")
    const count = received.find((r) => r.message.type === 'ProgrammeAttendanceRecorded');
    expect(count!.message.schemaVersion).toBe(2);
    expect(count!.message.data).toMatchObject({ attendees: { members: 40, citizens: 9 } });
  }, 90_000);
});
