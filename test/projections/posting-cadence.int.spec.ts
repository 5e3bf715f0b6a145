import { postingCadence, READS } from '#projections';
import { projectionFixture, type Fixture } from './support/projection-fixture.js';
import { scenario } from './support/scenario.js';

describe('posting cadence', () => {
  let f: Fixture;
  let given: ReturnType<typeof scenario>;

  beforeAll(async () => {
    f = await projectionFixture('proj_cadence');
    given = scenario(f);
    await given.unit('w1');
    // good news on 9, 10, 11 (23:30 local is still the 11th), then 13 August; two posts on the 9th count once
    await given.post('g1', 'w1', '2025-08-09T08:00:00+07:00');
    await given.post('g2', 'w1', '2025-08-09T20:00:00+07:00');
    await given.post('g3', 'w1', '2025-08-10T08:00:00+07:00');
    await given.post('g4', 'w1', '2025-08-11T16:30:00Z'); // 23:30 in Ho Chi Minh City
    await given.post('g5', 'w1', '2025-08-13T08:00:00+07:00');
    // beautiful stories in the weeks of 4 and 11 August; another channel kept apart
    await given.post('b1', 'w1', '2025-08-06T08:00:00+07:00', ['beautiful-story']);
    await given.post('b2', 'w1', '2025-08-14T08:00:00+07:00', ['beautiful-story', 'good-news']);
    await given.post('z1', 'w1', '2025-08-14T09:00:00+07:00', ['good-news'], 'zalo');
    await f.settle();
  });
  afterAll(() => f.close());

  it('counts days with good news, weeks with a beautiful story, and their streaks per channel', async () => {
    const cadence = await postingCadence(
      f.pool,
      await f.schema(READS.postingCadence),
      'w1',
      '2025-08-14',
    );

    expect(cadence).toEqual([
      {
        channel: 'fanpage',
        posts: 7,
        goodNewsDays: 5,
        currentDailyStreak: 2,
        longestDailyStreak: 3,
        beautifulStoryWeeks: 2,
        currentWeeklyStreak: 2,
        longestWeeklyStreak: 2,
      },
      {
        channel: 'zalo',
        posts: 1,
        goodNewsDays: 1,
        currentDailyStreak: 1,
        longestDailyStreak: 1,
        beautifulStoryWeeks: 0,
        currentWeeklyStreak: 0,
        longestWeeklyStreak: 0,
      },
    ]);
  });

  it('loses the daily streak once a whole day passes without good news', async () => {
    const cadence = await postingCadence(
      f.pool,
      await f.schema(READS.postingCadence),
      'w1',
      '2025-08-16',
    );

    expect(cadence[0]).toMatchObject({ currentDailyStreak: 0, longestDailyStreak: 3 });
  });
});
