import type { NewEvent, PostgresEventStore, RecordedEvent } from '#event-store';
import {
  KafkaRelay,
  RelayCheckpointStore,
  streamCategories,
  type KafkaRelayOptions,
} from '#messaging';
import {
  newEvent,
  openStoreFixture,
  readCommitted,
  relayReached,
  uniquePrefix,
  waitUntil,
  type StoreFixture,
} from './relay-test-kit.js';

const brokers = () => process.env.KAFKA_BROKERS!;

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

  beforeAll(async () => {
    fixture = await openStoreFixture('relay_outside');
    store = fixture.store;
  });
  afterAll(() => fixture?.close());

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

  const relayOf = (name: string, prefix: string, options: Partial<KafkaRelayOptions> = {}) =>
    new KafkaRelay({
      eventStore: store,
      pool: fixture.pool,
      brokers: brokers(),
      name,
      topicPrefix: prefix,
      partitions: 3,
      batchSize: 100,
      ...options,
    });

  /** Runs a relay until it has published up to the log's head, then stops it (a clean restart). */
  async function publishAll(prefix: string, compression: 'gzip' | 'none'): Promise<void> {
    const relay = relayOf('outside', prefix, { compression });
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
    const { records, stdout } = readCommitted(brokers(), topics);
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
      // written in a transaction, which a read_committed consumer reads once it committed
      expect(record.transactional).toBe(true);
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
    expect(stdout).not.toContain(displayName);
    expect(stdout).not.toContain('$sealed');
    expect(stdout).not.toContain(sealed('x').data);
    const redactedOf = (type: string) =>
      values
        .filter((v) => v.type === type)
        .map((v) => [v.redacted, Object.keys(v.data as object).sort()]);
    expect(new Set(redactedOf('MemberEnrolled').map((r) => JSON.stringify(r)))).toEqual(
      new Set([JSON.stringify([['displayName'], ['memberId', 'unitId']])]),
    );
  }, 90_000);

  it('gives a read_committed consumer each event once when the broker took a batch whose checkpoint could not be saved', async () => {
    // given a relay that has published a history, its checkpoint stored
    const prefix = uniquePrefix('once');
    await appendHistory('e1');
    const warnings: string[] = [];
    const relay = relayOf('once', prefix, {
      initialBackoffMs: 50,
      maxBackoffMs: 200,
      logger: { log: () => undefined, warn: (message) => warnings.push(message) },
    });
    relay.start();
    try {
      await relayReached(relay, () => store.headPosition(), 'the relay published', 30_000);
      // when the database refuses to move its checkpoint (a lost connection or a full disk right after
      // the broker acknowledged), while more events are appended
      await fixture.pool.query(`
        CREATE FUNCTION refuse_checkpoint() RETURNS trigger LANGUAGE plpgsql AS
          $$ BEGIN RAISE EXCEPTION 'checkpoint refused by the test'; END $$;
        CREATE TRIGGER refuse_checkpoint BEFORE UPDATE ON relay_checkpoints
          FOR EACH ROW WHEN (NEW.name = 'once') EXECUTE FUNCTION refuse_checkpoint();`);
      await appendHistory('e2');
      await waitUntil(
        'the relay failed to save its checkpoint three times',
        () => warnings.filter((w) => w.includes('checkpoint refused')).length >= 3,
        30_000,
      );
      // and then accepts it again
      await fixture.pool.query(
        'DROP TRIGGER refuse_checkpoint ON relay_checkpoints; DROP FUNCTION refuse_checkpoint();',
      );
      await relayReached(relay, () => store.headPosition(), 'the relay caught up', 30_000);
    } finally {
      await relay.stop();
    }

    // then a consumer reading read_committed (franz-go) gets every event of the store exactly once
    const topics = [...streamCategories, 'other'].map((category) => `${prefix}${category}`);
    const { records } = readCommitted(brokers(), topics);
    const delivered = records.map((r) => (JSON.parse(r.value) as { eventId: string }).eventId);
    const stored = await store.readAll({ maxCount: 10_000 });
    const repeated = delivered.filter((id, i) => delivered.indexOf(id) !== i);
    expect({ events: delivered.length, repeated: repeated.length }).toEqual({
      events: stored.length,
      repeated: 0,
    });
    expect(new Set(delivered)).toEqual(new Set(stored.map((e) => e.eventId)));
  }, 90_000);

  it("gives a read_committed consumer each event once when the broker took a relay's first batch and the database refused its first checkpoint", async () => {
    // given a history no relay of this name has published yet, and a database that refuses to store
    // any published position of it (gone right after the broker acknowledged the first batch)
    const prefix = uniquePrefix('first');
    await appendHistory('f1');
    await new RelayCheckpointStore(fixture.pool, 'first').init();
    await fixture.pool.query(`
      CREATE FUNCTION refuse_first_checkpoint() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN RAISE EXCEPTION 'first checkpoint refused by the test'; END $$;
      CREATE TRIGGER refuse_first_checkpoint BEFORE INSERT OR UPDATE ON relay_checkpoints
        FOR EACH ROW WHEN (NEW.name = 'first' AND NEW.position > 0)
        EXECUTE FUNCTION refuse_first_checkpoint();`);
    const warnings: string[] = [];
    const relay = relayOf('first', prefix, {
      batchSize: 1_000, // the whole history in one batch: the first is the only one
      initialBackoffMs: 50,
      maxBackoffMs: 200,
      logger: { log: () => undefined, warn: (message) => warnings.push(message) },
    });
    relay.start();
    try {
      // when the relay publishes it, fails to store its checkpoint three times, then may store it
      await waitUntil(
        'the relay failed to save its first checkpoint three times',
        () => warnings.filter((w) => w.includes('first checkpoint refused')).length >= 3,
        30_000,
      );
      await fixture.pool.query(
        'DROP TRIGGER refuse_first_checkpoint ON relay_checkpoints; DROP FUNCTION refuse_first_checkpoint();',
      );
      await relayReached(relay, () => store.headPosition(), 'the relay caught up', 30_000);
    } finally {
      await relay.stop();
    }

    // then a consumer reading read_committed (franz-go) gets every event of the history exactly once
    const topics = [...streamCategories, 'other'].map((category) => `${prefix}${category}`);
    const { records } = readCommitted(brokers(), topics);
    const delivered = records.map((r) => (JSON.parse(r.value) as { eventId: string }).eventId);
    const stored = await store.readAll({ maxCount: 10_000 });
    const repeated = delivered.filter((id, i) => delivered.indexOf(id) !== i);
    expect({ events: delivered.length, repeated: repeated.length }).toEqual({
      events: stored.length,
      repeated: 0,
    });
  }, 90_000);
});
