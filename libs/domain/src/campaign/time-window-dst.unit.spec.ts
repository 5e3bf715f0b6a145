import { Settings } from 'luxon';
import {
  clipToWindow,
  isInWindow,
  localDate,
  localDay,
  windowOn,
  type CampaignCalendar,
} from './time-window.js';

// The rule on DST days (time-window.ts `windowOn`): a window opens at the FIRST time the clock reads
// `from` and closes at the LAST time it reads `to`; a day starts at its first midnight; a wall time
// the clocks skip is read at the offset before the jump. Berlin falls back at 03:00 CEST on
// 26 October 2025 (02:00–02:59 twice) and springs forward at 02:00 CET on 30 March 2025.
const berlin = (from: string, to: string): CampaignCalendar => ({
  timezone: 'Europe/Berlin',
  startDate: '2024-01-01',
  endDate: '2025-12-31',
  dailyWindow: { from, to },
});
const ms = (instant: string) => Date.parse(instant);

describe('a window on the day clocks fall back (Europe/Berlin, 26 October 2025)', () => {
  it('given the repeated hour as the window, both passes through it are inside', () => {
    const repeatedHour = berlin('02:00', '03:00');

    expect(isInWindow(repeatedHour, '2025-10-26T02:10:00+02:00')).toBe(true);
    expect(isInWindow(repeatedHour, '2025-10-26T02:10:00+01:00')).toBe(true);
    expect(isInWindow(repeatedHour, '2025-10-26T01:59:00+02:00')).toBe(false);
    expect(isInWindow(repeatedHour, '2025-10-26T03:00:00+01:00')).toBe(false);
    // a shift from 02:10 summer time to 02:50 winter time: 50 + 50 minutes inside
    expect(
      clipToWindow(repeatedHour, '2025-10-26T02:10:00+02:00', '2025-10-26T02:50:00+01:00'),
    ).toBeCloseTo(100 / 60, 10);
    // the whole day's window: two real hours
    expect(
      clipToWindow(repeatedHour, '2025-10-26T00:00:00+02:00', '2025-10-27T00:00:00+01:00'),
    ).toBe(2);
  });

  it('given both bounds inside the repeated hour, the window runs from the first `from` to the last `to`', () => {
    const window = windowOn(berlin('02:15', '02:45'), '2025-10-26');

    expect(window).toEqual({
      start: ms('2025-10-26T02:15:00+02:00'),
      end: ms('2025-10-26T02:45:00+01:00'),
    });
    // 02:50 summer time and 02:10 winter time lie between, though their clock reads outside
    expect(isInWindow(berlin('02:15', '02:45'), '2025-10-26T02:50:00+02:00')).toBe(true);
    expect(isInWindow(berlin('02:15', '02:45'), '2025-10-26T02:10:00+01:00')).toBe(true);
    expect(isInWindow(berlin('02:15', '02:45'), '2025-10-26T02:50:00+01:00')).toBe(false);
  });

  it('gives the same instants whatever season the process clock is in (luxon guesses from now)', () => {
    // given a process whose clock reads summer time in Berlin, asked a date no other test asked
    const now = Settings.now;
    Settings.now = () => ms('2026-07-01T12:00:00Z');
    try {
      // then a repeated `to` is still its last occurrence, a repeated `from` its first
      expect(windowOn(berlin('02:30', '02:40'), '2024-10-27')).toEqual({
        start: ms('2024-10-27T02:30:00+02:00'),
        end: ms('2024-10-27T02:40:00+01:00'),
      });
    } finally {
      Settings.now = now;
    }
  });
});

describe('a day where clocks fall back across midnight (America/Havana, 2 November 2025)', () => {
  // Cuba leaves summer time at 01:00 CDT, back to 00:00 CST: 00:00–00:59 is lived twice
  it('starts at its first midnight, so both passes of its first hour belong to it', () => {
    expect(localDay('2025-11-02', 'America/Havana')).toEqual({
      start: ms('2025-11-02T00:00:00-04:00'),
      end: ms('2025-11-03T00:00:00-05:00'),
    });
    expect(localDate('2025-11-02T00:30:00-04:00', 'America/Havana')).toBe('2025-11-02');
    expect(localDate('2025-11-02T00:30:00-05:00', 'America/Havana')).toBe('2025-11-02');
    expect(localDate('2025-11-01T23:59:00-04:00', 'America/Havana')).toBe('2025-11-01');
    // a whole-day window: 1 November has 24 hours and ends where 2 November, of 25 hours, begins
    const allDay = { ...berlin('00:00', '24:00'), timezone: 'America/Havana' };
    expect(windowOn(allDay, '2025-11-01').end).toBe(windowOn(allDay, '2025-11-02').start);
    const { start, end } = windowOn(allDay, '2025-11-02');
    expect((end - start) / 3_600_000).toBe(25);
  });
});

describe('a window bound the clocks skip (Europe/Berlin, 30 March 2025, 02:00 CET → 03:00 CEST)', () => {
  it('reads 02:30 at the offset before the jump: 03:30 CEST, for `from` and `to` alike', () => {
    const late = berlin('02:30', '12:00');
    expect(windowOn(late, '2025-03-30').start).toBe(ms('2025-03-30T03:30:00+02:00'));
    expect(isInWindow(late, '2025-03-30T03:10:00+02:00')).toBe(false);
    expect(isInWindow(late, '2025-03-30T03:30:00+02:00')).toBe(true);

    const early = berlin('01:00', '02:30');
    expect(windowOn(early, '2025-03-30').end).toBe(ms('2025-03-30T03:30:00+02:00'));
    expect(isInWindow(early, '2025-03-30T03:10:00+02:00')).toBe(true);
    expect(clipToWindow(early, '2025-03-30T00:00:00+01:00', '2025-03-30T12:00:00+02:00')).toBe(1.5);
  });
});
