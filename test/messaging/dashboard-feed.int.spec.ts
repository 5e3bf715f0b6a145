import { campaignProgress, READS } from '#projections';
import { DashboardFeed, KafkaRelay, type CampaignFigures } from '#messaging';
import { projectionFixture, type Fixture } from '../projections/support/projection-fixture.js';
import { scenario } from '../projections/support/scenario.js';
import { uniquePrefix, waitUntil } from './relay-test-kit.js';

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
}

const services = [
  'eid_activation',
  'public_service_account',
  'digital_signature',
  'app_install',
  'party_card_replacement',
];
const at = (day: number, minutes: number) =>
  `2025-08-${String(day).padStart(2, '0')}T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00+07:00`;

/** Two drives over a week, with shifts inside and outside the window, corrections, rejections and an extension. */
async function campaignWeek(f: Fixture): Promise<number> {
  const given = scenario(f);
  const next = random(20250809);
  let events = 0;
  const count = async <T>(append: Promise<T>) => {
    events += 1;
    return append;
  };
  await given.unit('w1');
  await count(given.campaign('c1', 'w1'));
  await count(
    given.campaign('c2', 'w1', {
      startDate: '2025-08-10',
      endDate: '2025-08-14',
      dailyWindow: { from: '08:00', to: '17:30' },
    }),
  );
  for (let s = 0; s < 80; s++) {
    const shiftId = `s${s}`;
    const member = `m${s % 17}`;
    const campaign = s % 9 === 0 ? null : s % 3 === 0 ? 'c2' : 'c1';
    const day = 8 + Math.floor(next() * 10);
    const start = 5 * 60 + Math.floor(next() * 17 * 60);
    await count(given.start(shiftId, member, at(day, start), campaign));
    const assists = Math.floor(next() * 5);
    for (let a = 0; a < assists; a++) {
      const minute = Math.min(start + 20 * (a + 1), 23 * 60 + 59);
      await count(
        given.assist(
          shiftId,
          member,
          at(day, minute),
          1 + Math.floor(next() * 5),
          services[Math.floor(next() * services.length)],
          campaign,
        ),
      );
    }
    await count(given.end(shiftId, at(day, Math.min(start + 180, 23 * 60 + 59))));
    const fate = next();
    if (fate < 0.15) await count(given.reject(shiftId));
    else if (fate < 0.3)
      await count(given.correct(shiftId, { startedAt: at(day, Math.max(0, start - 90)) }));
    else if (fate < 0.6) await count(given.verify(shiftId));
  }
  await count(given.extend('c2', '2025-08-17'));
  return events;
}

describe('the dashboard feed (an example consumer of the integration topics)', () => {
  let f: Fixture;

  beforeAll(async () => {
    f = await projectionFixture('dashboard_feed');
  }, 60_000);
  afterAll(async () => {
    // The relay's subscription left a LISTEN connection in the fixture's pool: the store releases it.
    await f.store.close();
    await f.close();
  });

  it('builds live campaign counters equal to the campaign progress projection, even when every event is delivered twice', async () => {
    // given a week of two campaigns in the store, relayed to Kafka and consumed by the feed
    const relevant = await campaignWeek(f);
    const prefix = uniquePrefix('dashboard');
    const brokers = process.env.KAFKA_BROKERS!;
    const relayOptions = {
      eventStore: f.store,
      pool: f.pool,
      brokers,
      name: 'dashboard',
      topicPrefix: prefix,
      partitions: 3,
    };
    const relay = new KafkaRelay(relayOptions);
    relay.start();
    await waitUntil(
      'the relay created its topics',
      async () => (await relay.status()).connected,
      30_000,
    );
    const feed = new DashboardFeed({ brokers, topicPrefix: prefix });
    await feed.start();
    try {
      // when the feed has consumed every campaign and shift event, and the projection has caught up
      await waitUntil(
        'the feed consumed every campaign and shift event',
        () => feed.distinctEvents === relevant,
        60_000,
      );
      await f.settle();
      const schema = await f.schema(READS.campaignProgress);
      const projected = async (campaignId: string): Promise<CampaignFigures> => {
        const p = (await campaignProgress(f.pool, schema, campaignId))!;
        return {
          campaignId,
          citizensAssisted: p.totals.citizensAssisted,
          volunteerTurns: p.totals.volunteerTurns,
          citizensByServiceType: p.byServiceType,
          outOfWindow: p.outOfWindow,
        };
      };

      // then its figures equal the projection's, for both campaigns, and they are not trivial
      for (const campaignId of ['c1', 'c2'])
        expect(feed.figures(campaignId)).toEqual(await projected(campaignId));
      const c1 = feed.figures('c1')!;
      expect(c1.citizensAssisted).toBeGreaterThan(20);
      expect(c1.volunteerTurns).toBeGreaterThan(10);
      expect(c1.outOfWindow.shifts).toBeGreaterThan(0);

      // when the relay publishes everything a second time (checkpoint reset): every event arrives twice
      await relay.stop();
      await f.pool.query(`DELETE FROM relay_checkpoints WHERE name = 'dashboard'`);
      const before = feed.messagesReceived;
      const again = new KafkaRelay(relayOptions);
      again.start();
      try {
        await waitUntil(
          'the feed received the re-delivery',
          () => feed.messagesReceived >= before + relevant,
          60_000,
        );
        // then the duplicates are recognised by event id and the figures do not move
        expect(feed.distinctEvents).toBe(relevant);
        for (const campaignId of ['c1', 'c2'])
          expect(feed.figures(campaignId)).toEqual(await projected(campaignId));
      } finally {
        await again.stop();
      }
    } finally {
      await feed.stop();
      await relay.stop();
    }
  }, 150_000);
});
