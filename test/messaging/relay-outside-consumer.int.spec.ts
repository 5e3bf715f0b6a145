import type { NewEvent, PostgresEventStore, RecordedEvent } from '#event-store';
import { KafkaRelay, streamCategories } from '#messaging';
import { buildGoProgram } from '../harness/go-program.js';
import {
  newEvent,
  openStoreFixture,
  relayReached,
  uniquePrefix,
  type StoreFixture,
} from './relay-test-kit.js';

const brokers = () => process.env.KAFKA_BROKERS!;

/** One record as franz-go decoded it (test/kafka-check). */
type OutsideRecord = Readonly<{
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  headers: { key: string; value: string }[];
  value: string;
  /** The key's partition by Kafka's own partitioner (murmur2), as any other producer would place it. */
  keyPartition: number;
}>;

/** The envelope's fields, as docs/integration-events.md lists them. */
const documentedFields = [
  'schema',
  'eventId',
  'type',
  'schemaVersion',
  'streamId',
  'streamVersion',
  'globalPosition',
  'occurredAt',
  'recordedAt',
  'correlationId',
  'data',
  'redacted',
  'withheld',
];

const displayName = 'Nguyễn Thị Hồng Nhung';
/** A sealed value as the personal-data vault writes it; its ciphertext must not leave either. */
const sealed = (subject: string) => ({
  $sealed: 1,
  subject,
  iv: 'c2VhbGVkLWl2LTAx',
  tag: 'c2VhbGVkLXRhZy0wMQ',
  data: 'Y2lwaGVydGV4dC1vZi1hLW5hbWU',
});

/**
 * The relay's topics read by a consumer nobody on this project wrote: franz-go, read_committed, as a
 * Go service would read them (test/kafka-check). docs/integration-events.md is its only guide.
 */
describe("the relay's topics read by an outside consumer (franz-go)", () => {
  let fixture: StoreFixture;
  let store: PostgresEventStore;
  let reader: ReturnType<typeof buildGoProgram>;

  beforeAll(async () => {
    fixture = await openStoreFixture('relay_outside');
    store = fixture.store;
    reader = buildGoProgram('test/kafka-check', 'reads the relay topics as a Go service would');
  }, 120_000);
  afterAll(async () => {
    reader?.remove();
    await fixture?.close();
  });

  /** Appends one event to `streamId` after the ones before it. */
  const append = (streamId: string, event: NewEvent) =>
    store.append(streamId, [event], { expectedVersion: 'any' });

  /** Events of every stream category, personal data among them, and 30 interleaved shift streams. */
  async function appendHistory(tag: string): Promise<void> {
    await append(
      `unit-${tag}`,
      newEvent('UnitRegistered', { unitId: tag, name: 'Đoàn phường 1', kind: 'ward' }),
    );
    await append(
      `member-${tag}-a`,
      newEvent('MemberEnrolled', { memberId: `${tag}-a`, unitId: tag, displayName }),
    );
    await append(
      `member-${tag}-b`,
      newEvent('MemberEnrolled', {
        memberId: `${tag}-b`,
        unitId: tag,
        displayName: sealed(`member-${tag}-b`),
      }),
    );
    await append(
      `campaign-${tag}`,
      newEvent('CampaignLaunched', { campaignId: tag, unitId: tag, name: 'Đổi thẻ đảng viên' }),
    );
    await append(`club-${tag}`, newEvent('ClubFormed', { clubId: tag, unitId: tag, name: 'CLB' }));
    await append(`post-${tag}`, newEvent('PostPublished', { postId: tag, unitId: tag }));
    await append(
      `programme-${tag}`,
      newEvent('ProgrammeHeld', { programmeId: tag, unitId: tag, kind: 'training' }),
    );
    await append(`citizen-${tag}`, newEvent('CitizenDataErased', { subject: `citizen-${tag}` }));
    for (let round = 0; round < 10; round++)
      for (let s = 0; s < 30; s++) {
        const shiftId = `${tag}-${s}`;
        await append(
          `shift-${shiftId}`,
          round === 0
            ? newEvent('ShiftStarted', { shiftId, memberId: `${tag}-a` })
            : newEvent('CitizenAssisted', {
                assistanceId: `${shiftId}-${round}`,
                shiftId,
                serviceType: 'eid_activation',
                citizens: 1,
                citizenRef: sealed(`citizen-${tag}`),
              }),
        );
      }
  }

  /** Runs a relay until it has published up to the log's head, then stops it (a clean restart). */
  async function publishAll(prefix: string, compression: 'gzip' | 'none'): Promise<void> {
    const relay = new KafkaRelay({
      eventStore: store,
      pool: fixture.pool,
      brokers: brokers(),
      name: 'outside',
      topicPrefix: prefix,
      partitions: 3,
      batchSize: 100,
      compression,
    });
    relay.start();
    try {
      await relayReached(relay, () => store.headPosition(), 'the relay caught up', 30_000);
    } finally {
      await relay.stop();
    }
  }

  it('gives it every event exactly once, keyed and placed by stream, in stream order, with the documented headers and value and no personal data', async () => {
    // given events of every stream category, names in clear and sealed among them
    const prefix = uniquePrefix('outside');
    await appendHistory('o1');
    // when one relay publishes them gzip-compressed and stops, more are appended, and another relay
    // (the next run) publishes those uncompressed from the checkpoint
    await publishAll(prefix, 'gzip');
    await appendHistory('o2');
    await publishAll(prefix, 'none');

    // then franz-go, reading every topic read_committed, gets each stored event exactly once
    const topics = [...streamCategories, 'other'].map((category) => `${prefix}${category}`);
    const run = reader.run('', [brokers(), topics.join(',')]);
    expect(run.stderr).toBe('');
    expect(run.ok).toBe(true);
    const records = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as OutsideRecord);
    const stored: RecordedEvent[] = await store.readAll({ maxCount: 10_000 });
    expect(stored.length).toBe(2 * (8 + 300));
    const values = records.map((r) => JSON.parse(r.value) as Record<string, unknown>);
    expect(values.map((v) => v.eventId).sort()).toEqual(stored.map((e) => e.eventId).sort());

    const byId = new Map(stored.map((event) => [event.eventId, event]));
    records.forEach((record, i) => {
      const value = values[i];
      const event = byId.get(value.eventId as string)!;
      // keyed by its stream, on the partition Kafka's own partitioner gives that key, in its topic
      expect(record.key).toBe(event.streamId);
      expect(record.partition).toBe(record.keyPartition);
      const category = event.streamId.slice(0, event.streamId.indexOf('-'));
      const topicCategory = (streamCategories as readonly string[]).includes(category)
        ? category
        : 'other';
      expect(record.topic).toBe(`${prefix}${topicCategory}`);
      // with the five documented headers, in order, saying what the value says
      expect(record.headers).toEqual([
        { key: 'event-id', value: event.eventId },
        { key: 'event-type', value: event.type },
        { key: 'schema-version', value: String(value.schemaVersion) },
        { key: 'global-position', value: String(event.globalPosition) },
        { key: 'correlation-id', value: event.metadata.correlationId },
      ]);
      // and a value of the documented envelope, nothing else in it
      expect(Object.keys(value).filter((field) => !documentedFields.includes(field))).toEqual([]);
      expect(value).toMatchObject({
        schema: 'volunteer-campaigns.event/v1',
        type: event.type,
        streamId: event.streamId,
        streamVersion: Number(event.streamVersion),
        globalPosition: String(event.globalPosition),
        occurredAt: event.metadata.occurredAt,
        recordedAt: event.metadata.recordedAt,
        correlationId: event.metadata.correlationId,
      });
    });

    // and each stream's events come in version order, from its first
    const versions = new Map<string, number[]>();
    for (const record of [...records].sort((a, b) => a.offset - b.offset))
      versions.set(record.key!, [
        ...(versions.get(record.key!) ?? []),
        Number((JSON.parse(record.value) as { streamVersion: number }).streamVersion),
      ]);
    for (const [key, seen] of versions)
      expect({ key, seen }).toEqual({ key, seen: seen.map((_, i) => i) });

    // and no name, in clear or sealed, reaches the consumer: the fields are dropped and named
    expect(run.stdout).not.toContain(displayName);
    expect(run.stdout).not.toContain('$sealed');
    expect(run.stdout).not.toContain(sealed('x').data);
    const redactedOf = (type: string) =>
      values
        .filter((v) => v.type === type)
        .map((v) => [v.redacted, Object.keys(v.data as object).sort()]);
    expect(new Set(redactedOf('MemberEnrolled').map((r) => JSON.stringify(r)))).toEqual(
      new Set([JSON.stringify([['displayName'], ['memberId', 'unitId']])]),
    );
  }, 90_000);
});
