import { localDateOfMillis, storedCalendar, windowOn } from '#domain';
import { CampaignClock } from './campaign-clock.js';
import { sharesOf } from './progress-shift.fold.js';

// The clock memoises #domain's answers per UTC hour: it must give the very same local dates and
// windows, including in hours where a date begins at a quarter hour (Kathmandu, +05:45) or where
// a DST change moves midnight (Santiago) or the clock (Berlin).
describe('CampaignClock', () => {
  const zones = ['Asia/Ho_Chi_Minh', 'Asia/Kathmandu', 'America/Santiago', 'Europe/Berlin'];
  const calendarIn = (timezone: string) =>
    storedCalendar({
      timezone,
      startDate: '2025-03-28',
      endDate: '2025-04-08',
      dailyWindow: { from: '07:00', to: '24:00' },
    });

  it.each(zones)('gives #domain local date for every minute of twelve days in %s', (zone) => {
    // given
    const clock = new CampaignClock(calendarIn(zone));
    const from = Date.parse('2025-03-28T00:00:00Z');
    // when / then
    for (let at = from; at < from + 12 * 86_400_000; at += 60_000 - 7) {
      const expected = localDateOfMillis(at, zone);
      if (clock.localDate(at) !== expected)
        throw new Error(`${zone} ${new Date(at).toISOString()}`);
    }
  });

  it.each(zones)('gives #domain daily window and answers inside for %s', (zone) => {
    const calendar = calendarIn(zone);
    const clock = new CampaignClock(calendar);
    const window = windowOn(calendar, '2025-04-06');
    expect(clock.window('2025-04-06')).toEqual(window);
    expect(clock.inDaily(window.start, '2025-04-06')).toBe(true);
    expect(clock.inDaily(window.end, '2025-04-06')).toBe(false);
    expect(clock.inDates('2025-04-08')).toBe(true);
    expect(clock.inDates('2025-04-09')).toBe(false);
  });

  it('answers an instant clamped to the last year without throwing, outside every campaign', () => {
    const clock = new CampaignClock(calendarIn('Asia/Ho_Chi_Minh'));
    const edge = Date.parse('2099-12-31T23:59:59.999Z');
    expect(() => clock.inDaily(edge, clock.localDate(edge))).not.toThrow();
    expect(clock.window('2100-01-01')).toEqual({ start: Infinity, end: -Infinity });
  });

  // The gate takes 2000-01-01T00:00+14:00 (local year 2000) and 2099-12-31T23:00-12:00 (local
  // year 2099), whose UTC dates lie outside the years: they are still days of the campaign.
  it.each([
    ['Pacific/Kiritimati', '2000-01-01', '2000-01-01T00:00:00+14:00', '2000-01-01T08:00:00+14:00'],
    ['Etc/GMT+12', '2099-12-31', '2099-12-31T15:00:00-12:00', '2099-12-31T23:00:00-12:00'],
  ])('counts a shift on the edge day %s %s as inside, with its hours', (zone, day, from, to) => {
    // given a campaign on that single day, all day, and a pending shift of eight hours on it
    const clock = new CampaignClock(
      storedCalendar({
        timezone: zone,
        startDate: day,
        endDate: day,
        dailyWindow: { from: '00:00', to: '24:00' },
      }),
    );
    const row = { started_ms: Date.parse(from), ended_ms: Date.parse(to), status: 'pending' };
    // when
    const shares = sharesOf({ ...row, assistance: [] } as never, clock);
    // then one turn inside and eight hours (in microseconds) on that day
    expect(clock.localDate(Date.parse(from))).toBe(day);
    expect(clock.localDate(Date.parse(to) - 1)).toBe(day);
    expect(shares).toEqual([[day, '', true, 0, 0, 1, 8 * 3_600_000_000, 0]]);
  });
});
