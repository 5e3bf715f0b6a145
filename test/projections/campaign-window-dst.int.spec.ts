import { campaignProgress, memberLeaderboard, READS, resolvePeriod } from '#projections';
import { campaignProgressFromFacts } from './support/campaign-progress.facts.js';
import { memberLeaderboardFromFacts } from './support/member-leaderboard.facts.js';
import { projectionFixture, type Fixture } from './support/projection-fixture.js';
import { scenario } from './support/scenario.js';

// Campaign progress counts with #domain's calendar (JavaScript); the member boards' clipped hours are
// computed by PostgreSQL (campaign-time.sql.ts) and their window citizens by #domain again. On the
// days clocks change, both must follow the one rule (time-window.ts `windowOn`): a window opens at the
// FIRST time the clock reads `from` and closes at the LAST time it reads `to`; a day starts at its
// first midnight; a skipped wall time is read at the offset before the jump. Each campaign below has
// one member, so its board's value is that member's, and must equal the campaign's progress.
describe('campaign windows on DST days: progress (JS) and member boards (SQL) agree', () => {
  let f: Fixture;
  let given: ReturnType<typeof scenario>;

  const campaign = async (id: string, timezone: string, dates: string, window: string) => {
    const [startDate, endDate] = dates.split('/');
    const [from, to] = window.split('-');
    await given.campaign(id, 'w1', { timezone, startDate, endDate, dailyWindow: { from, to } });
  };

  /** A verified shift of `member` with one assistance per entry of `assisted` (instant → citizens). */
  const verifiedShift = async (
    id: string,
    member: string,
    [startedAt, endedAt]: [string, string],
    assisted: Record<string, number>,
  ) => {
    await given.start(id, member, startedAt, id.split(':')[0]);
    for (const [at, citizens] of Object.entries(assisted))
      await given.assist(id, member, at, citizens, 'eid_activation', id.split(':')[0]);
    await given.end(id, endedAt);
    await given.verify(id);
  };

  /** The campaign's progress, and each board's value for its one member (0 when absent). */
  const figures = async (campaignId: string, period: { from?: string; to?: string } = {}) => {
    await f.settle();
    const progress = (await campaignProgress(
      f.pool,
      await f.schema(READS.campaignProgress),
      campaignId,
    ))!;
    const schema = await f.schema(READS.leaderboards);
    const board = async (metric: 'citizensAssisted' | 'verifiedHours', facts = false) => {
      const q = { metric, campaignId, limit: 10, ...period };
      const read = facts ? memberLeaderboardFromFacts : memberLeaderboard;
      return (await read(f.pool, schema, q))[0]?.value ?? 0;
    };
    const reference = (await campaignProgressFromFacts(f.pool, schema, campaignId))!;
    return {
      progress,
      boards: {
        citizens: await board('citizensAssisted'),
        hours: await board('verifiedHours'),
        citizensFromFacts: await board('citizensAssisted', true),
        hoursFromFacts: await board('verifiedHours', true),
      },
      reference: { totals: reference.totals, outOfWindow: reference.outOfWindow },
    };
  };

  beforeAll(async () => {
    f = await projectionFixture('proj_dst_window');
    given = scenario(f);
    await given.unit('w1');
    for (const m of ['m-fall', 'm-havana', 'm-spring']) await given.member(m, 'w1');
  });
  afterAll(() => f.close());

  it('Europe/Berlin, 26 October 2025: a window inside the repeated hour holds both passes through it', async () => {
    // given a window 02:15–02:45 on the day 02:00–02:59 is lived twice (CEST, then CET): it runs
    // from 02:15 CEST to 02:45 CET, an hour and a half
    await campaign('fall', 'Europe/Berlin', '2025-10-25/2025-10-27', '02:15-02:45');
    await verifiedShift(
      'fall:s1',
      'm-fall',
      ['2025-10-26T02:15:00+02:00', '2025-10-26T03:00:00+01:00'],
      {
        '2025-10-26T02:20:00+02:00': 1, // first pass, inside
        '2025-10-26T02:50:00+02:00': 2, // first pass, after 02:45 but before 02:45 CET: inside
        '2025-10-26T02:10:00+01:00': 4, // second pass, before 02:15 but after 02:15 CEST: inside
        '2025-10-26T02:50:00+01:00': 8, // second pass, after the last 02:45: outside
      },
    );

    const { progress, boards, reference } = await figures('fall');

    expect(progress.totals).toMatchObject({ citizensAssisted: 7, volunteerTurns: 1, hours: 1.5 });
    expect(progress.totals.verifiedHours).toBe(1.5);
    expect(progress.outOfWindow).toEqual({ assistanceEvents: 1, citizensAssisted: 8, shifts: 0 });
    expect(boards).toEqual({ citizens: 7, hours: 1.5, citizensFromFacts: 7, hoursFromFacts: 1.5 });
    expect(reference).toEqual({ totals: progress.totals, outOfWindow: progress.outOfWindow });
  });

  it('America/Havana, 2 November 2025: the day starts at its first midnight, the window at its first 00:00', async () => {
    // given clocks falling back from 01:00 CDT to 00:00 CST, and a window 00:00–00:45: on 2 November
    // it runs from 00:00 CDT to 00:45 CST, and all of it belongs to 2 November
    await campaign('havana', 'America/Havana', '2025-11-01/2025-11-02', '00:00-00:45');
    await verifiedShift(
      'havana:s1',
      'm-havana',
      ['2025-11-02T00:10:00-04:00', '2025-11-02T01:00:00-05:00'],
      {
        '2025-11-02T00:30:00-04:00': 1,
        '2025-11-02T00:50:00-04:00': 2,
        '2025-11-02T00:30:00-05:00': 4,
        '2025-11-02T00:50:00-05:00': 8,
      },
    );

    // when the boards are read for the date 2 November in Havana (tz= on the read)
    const day = resolvePeriod({ from: '2025-11-02', to: '2025-11-02', tz: 'America/Havana' });
    const { progress, boards, reference } = await figures('havana', day);

    // then 00:10 CDT to 00:45 CST is 95 minutes, on 2 November
    expect(progress.byDay).toEqual([
      { date: '2025-11-01', citizensAssisted: 0, volunteerTurns: 0, hours: 0 },
      { date: '2025-11-02', citizensAssisted: 7, volunteerTurns: 1, hours: 1.58 },
    ]);
    expect(progress.outOfWindow.citizensAssisted).toBe(8);
    expect(boards).toEqual({
      citizens: 7,
      hours: 1.58,
      citizensFromFacts: 7,
      hoursFromFacts: 1.58,
    });
    expect(reference).toEqual({ totals: progress.totals, outOfWindow: progress.outOfWindow });
  });

  it('Europe/Berlin, 30 March 2025: a bound the clocks skip is read at the offset before the jump', async () => {
    // given a window from 02:30, on the day clocks jump from 02:00 CET to 03:00 CEST: it opens at
    // 02:30 CET, which the clocks show as 03:30 CEST
    await campaign('spring', 'Europe/Berlin', '2025-03-30/2025-03-30', '02:30-12:00');
    await verifiedShift(
      'spring:s1',
      'm-spring',
      ['2025-03-30T03:00:00+02:00', '2025-03-30T04:00:00+02:00'],
      {
        '2025-03-30T03:10:00+02:00': 1, // the clock reads past 02:30, but the window is not open yet
        '2025-03-30T03:40:00+02:00': 2,
      },
    );

    // when read over a period whose ends are not on quarter hours (the boards' edges are computed
    // from the facts in SQL)
    const { progress, boards, reference } = await figures('spring', {
      from: '2025-03-30T01:07:00Z',
      to: '2025-03-30T01:44:00Z',
    });

    expect(progress.totals).toMatchObject({ citizensAssisted: 2, volunteerTurns: 0, hours: 0.5 });
    expect(progress.outOfWindow).toEqual({ assistanceEvents: 1, citizensAssisted: 1, shifts: 1 });
    // the period holds both assistances (01:10Z, 01:40Z) and the shift's start (01:00Z) is before it
    expect(boards).toEqual({ citizens: 2, hours: 0, citizensFromFacts: 2, hoursFromFacts: 0 });
    expect(reference).toEqual({ totals: progress.totals, outOfWindow: progress.outOfWindow });
    expect((await figures('spring')).boards).toEqual({
      citizens: 2,
      hours: 0.5,
      citizensFromFacts: 2,
      hoursFromFacts: 0.5,
    });
  });
});
