import { DateTime } from 'luxon';
import { DEFAULT_READ_TIMEZONE, resolvePeriod } from '../period.js';
import { dayOf, periodPieces, QUARTER_MS } from './member-buckets.js';
import { windowOf } from './campaign-window.js';

const ms = (iso: string) => Date.parse(iso);
const piecesOf = (period: { from?: string; to?: string; tz?: string }) => {
  const range = resolvePeriod(period);
  return periodPieces(
    range.from === undefined ? undefined : ms(range.from),
    range.to === undefined ? undefined : ms(range.to),
  );
};

describe('a period as member-figure buckets', () => {
  it.each(['Asia/Ho_Chi_Minh', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham', 'UTC'])(
    'given whole dates in %s, it is whole buckets only: no fact is read',
    (tz) => {
      const { ranges, edges } = piecesOf({ from: '2025-03-29', to: '2025-04-02', tz });

      expect(edges).toEqual([]);
      const covered = ranges.reduce((n, r) => n + (r.to! - r.from!), 0);
      expect(covered).toBe(
        ms(resolvePeriod({ to: '2025-04-02', tz }).to!) -
          ms(resolvePeriod({ from: '2025-03-29', tz }).from!),
      );
      expect(ranges.find((r) => r.grain === 'd')).toBeDefined();
    },
  );

  it('given any date of 2000–2099, its midnight in the default read zone starts a day bucket', () => {
    const misses: string[] = [];
    for (
      let day = DateTime.fromISO('2000-01-01', { zone: DEFAULT_READ_TIMEZONE });
      day.year < 2100;
    ) {
      if (dayOf(day.toMillis()) !== day.toMillis()) misses.push(day.toISODate()!);
      day = day.plus({ days: 1 });
    }

    expect(misses).toEqual([]);
  });

  it('given a week of dates in the default zone, it is seven day buckets: no quarter is read', () => {
    const { ranges, edges } = piecesOf({ from: '2025-03-05', to: '2025-03-11' });

    expect(edges).toEqual([]);
    expect(ranges).toEqual([
      { grain: 'd', from: ms('2025-03-05T00:00:00+07:00'), to: ms('2025-03-12T00:00:00+07:00') },
    ]);
  });

  it('given instants inside quarters, the edges are the pieces of those quarters only', () => {
    const { ranges, edges } = piecesOf({
      from: '2025-01-09T10:07:13.250+07:00',
      to: '2025-01-13T15:52:41.500+07:00',
    });

    expect(edges).toEqual([
      { from: ms('2025-01-09T03:07:13.250Z'), to: ms('2025-01-09T03:15:00Z') },
      { from: ms('2025-01-13T08:45:00Z'), to: ms('2025-01-13T08:52:41.500Z') },
    ]);
    // days start at midnight in Asia/Ho_Chi_Minh, 17:00 UTC
    expect(ranges).toEqual([
      { grain: 'd', from: ms('2025-01-09T17:00:00Z'), to: ms('2025-01-12T17:00:00Z') },
      { grain: 'q', from: ms('2025-01-09T03:15:00Z'), to: ms('2025-01-09T17:00:00Z') },
      { grain: 'q', from: ms('2025-01-12T17:00:00Z'), to: ms('2025-01-13T08:45:00Z') },
    ]);
    for (const edge of edges) expect(edge.to - edge.from).toBeLessThan(QUARTER_MS);
  });

  it('given open ends, the days run open and a short period is one edge', () => {
    expect(piecesOf({ from: '2025-01-11T19:23:00+07:00' }).ranges[0]).toEqual({
      grain: 'd',
      from: ms('2025-01-11T17:00:00Z'),
      to: null,
    });
    expect(
      piecesOf({ from: '2025-01-10T09:01:00+07:00', to: '2025-01-10T09:14:00+07:00' }),
    ).toEqual({
      ranges: [],
      edges: [{ from: ms('2025-01-10T02:01:00Z'), to: ms('2025-01-10T02:14:00Z') }],
    });
  });
});

describe('the campaign window on the write path', () => {
  it('given a campaign window, an instant is inside by its local date and half-open time', () => {
    const inside = windowOf({
      campaign_id: 'c',
      timezone: 'Asia/Ho_Chi_Minh',
      start_date: '2025-08-09',
      end_date: '2025-08-15',
      window_from: '07:00:00',
      window_to: '22:00:00',
    });

    expect(inside(ms('2025-08-09T07:00:00+07:00'))).toBe(true);
    expect(inside(ms('2025-08-09T06:59:59.999+07:00'))).toBe(false);
    expect(inside(ms('2025-08-15T21:59:59.999+07:00'))).toBe(true);
    expect(inside(ms('2025-08-15T22:00:00+07:00'))).toBe(false);
    expect(inside(ms('2025-08-16T08:00:00+07:00'))).toBe(false);
  });
});
