import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  campaignDays,
  clipToWindowMillis,
  isInWindow,
  windowOn,
  type CampaignCalendar,
} from './time-window.js';

// Ho Chi Minh City has no DST; Berlin and New York jump an hour twice a year, which is where
// hand-written offsets go wrong. Campaigns are drawn around those jumps.
const zones = ['Asia/Ho_Chi_Minh', 'Europe/Berlin', 'America/New_York'] as const;
const minuteMs = 60_000;
const hourMs = 3_600_000;

const hhmm = (minutes: number): string =>
  minutes === 1440
    ? '24:00'
    : `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

const calendarArb: fc.Arbitrary<CampaignCalendar> = fc
  .record({
    timezone: fc.constantFrom(...zones),
    firstDay: fc.oneof(
      fc.constantFrom('2025-03-08', '2025-03-29', '2025-10-25', '2025-11-01'), // days before DST changes
      fc
        .integer({ min: 0, max: 730 })
        .map((d) => DateTime.utc(2024, 1, 1).plus({ days: d }).toISODate() as string),
    ),
    length: fc.integer({ min: 0, max: 6 }),
    window: fc
      .tuple(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 1, max: 1440 }))
      .map(([a, b]) => (a < b ? [a, b] : [b - 1, a + 1 > 1440 ? 1440 : a + 1])),
  })
  .map(({ timezone, firstDay, length, window: [from, to] }) => ({
    timezone,
    startDate: firstDay,
    endDate: DateTime.fromISO(firstDay, { zone: 'utc' })
      .plus({ days: length })
      .toISODate() as string,
    dailyWindow: { from: hhmm(from), to: hhmm(to) },
  }));

/** An instant somewhere from two days before the campaign to two days after, to the minute. */
const instantNear = (calendar: CampaignCalendar, minutesAligned = false): fc.Arbitrary<number> => {
  const first = DateTime.fromISO(calendar.startDate, { zone: calendar.timezone })
    .minus({ days: 2 })
    .toMillis();
  const last = DateTime.fromISO(calendar.endDate, { zone: calendar.timezone })
    .plus({ days: 3 })
    .toMillis();
  const unit = minutesAligned ? minuteMs : 1;
  return fc
    .integer({ min: 0, max: Math.floor((last - first) / unit) })
    .map((n) => first + n * unit);
};

/** The same instant written with a random one of the offsets clients send. */
const iso = (ms: number, zone: string): string =>
  DateTime.fromMillis(ms, { zone }).toISO() as string;

const clip = (calendar: CampaignCalendar, start: number, end: number): number =>
  clipToWindowMillis(calendar, iso(start, calendar.timezone), iso(end, 'UTC'));

describe('campaign window arithmetic (property)', () => {
  it('never counts more than the shift, nor more than the windows of the campaign days', () => {
    fc.assert(
      fc.property(
        calendarArb.chain((c) =>
          fc.tuple(fc.constant(c), instantNear(c), fc.integer({ min: 0, max: 60 * hourMs })),
        ),
        ([calendar, start, length]) => {
          const clipped = clip(calendar, start, start + length);
          const days = campaignDays(calendar);
          const windows = days.reduce((sum, day) => {
            const w = windowOn(calendar, day);
            return sum + Math.max(0, w.end - w.start);
          }, 0);
          const [fh, fm] = calendar.dailyWindow.from.split(':').map(Number);
          const [th, tm] = calendar.dailyWindow.to.split(':').map(Number);
          const nominal = (th * 60 + tm - (fh * 60 + fm)) * minuteMs;
          expect(clipped).toBeGreaterThanOrEqual(0);
          expect(clipped).toBeLessThanOrEqual(length);
          expect(clipped).toBeLessThanOrEqual(windows);
          // A DST change moves a window by at most one hour each day.
          expect(clipped).toBeLessThanOrEqual((nominal + hourMs) * days.length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('adds up when a shift is split at any instant', () => {
    fc.assert(
      fc.property(
        calendarArb.chain((c) =>
          fc.tuple(fc.constant(c), instantNear(c), instantNear(c), instantNear(c)),
        ),
        ([calendar, a, b, c]) => {
          const [start, middle, end] = [a, b, c].sort((x, y) => x - y);
          expect(clip(calendar, start, middle) + clip(calendar, middle, end)).toBe(
            clip(calendar, start, end),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('counts exactly the minutes whose instants are in the window', () => {
    fc.assert(
      fc.property(
        calendarArb.chain((c) =>
          fc.tuple(fc.constant(c), instantNear(c, true), fc.integer({ min: 0, max: 5 * 60 })),
        ),
        ([calendar, start, minutes]) => {
          let inside = 0;
          for (let m = 0; m < minutes; m += 1) {
            if (isInWindow(calendar, iso(start + m * minuteMs, 'UTC'))) inside += 1;
          }
          expect(clip(calendar, start, start + minutes * minuteMs)).toBe(inside * minuteMs);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('places every in-window instant on a campaign day, inside that day’s window', () => {
    fc.assert(
      fc.property(
        calendarArb.chain((c) => fc.tuple(fc.constant(c), instantNear(c))),
        ([calendar, at]) => {
          const local = DateTime.fromMillis(at, { zone: calendar.timezone });
          const date = local.toISODate() as string;
          const wall = local.toFormat('HH:mm');
          const inside = isInWindow(calendar, iso(at, 'Asia/Tokyo'));
          const onCampaignDay = date >= calendar.startDate && date <= calendar.endDate;
          if (inside) expect(onCampaignDay).toBe(true);
          // Away from DST changes, the window is exactly the wall-clock interval [from, to).
          const steady = local.startOf('day').offset === local.endOf('day').offset;
          if (steady && onCampaignDay) {
            const { from, to } = calendar.dailyWindow;
            expect(inside).toBe(wall >= from && wall < to);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
