import { InvalidPeriod, resolvePeriod } from './period.js';

describe('resolving a period, remembered between reads', () => {
  it('answers a period asked again as the first time, and a caller may change its copy', () => {
    const asked = { from: '2025-08-09', to: '2025-08-15', tz: 'Asia/Ho_Chi_Minh' };
    const first = resolvePeriod(asked);
    first.from = 'changed by a caller';

    const again = resolvePeriod({ ...asked });

    expect(again).toEqual({ from: '2025-08-08T17:00:00.000Z', to: '2025-08-15T17:00:00.000Z' });
  });

  it('refuses a bad period every time it is asked, never from a remembered good one', () => {
    expect(resolvePeriod({})).toEqual({ from: undefined, to: undefined });

    for (let i = 0; i < 2; i++)
      expect(() => resolvePeriod({ from: 'undefined' })).toThrow(InvalidPeriod);
    expect(() => resolvePeriod({ from: '2025-08-15', to: '2025-08-09' })).toThrow(InvalidPeriod);
  });
});

describe('a date read in a zone whose clocks fall back across midnight (America/Havana)', () => {
  it('starts the day at its first midnight, so consecutive days meet and none loses an hour', () => {
    // Cuba leaves summer time at 01:00 CDT on 2 November 2025, back to 00:00 CST
    const first = resolvePeriod({ from: '2025-11-02', to: '2025-11-02', tz: 'America/Havana' });
    const before = resolvePeriod({ to: '2025-11-01', tz: 'America/Havana' });

    expect(first).toEqual({ from: '2025-11-02T04:00:00.000Z', to: '2025-11-03T05:00:00.000Z' });
    expect(before.to).toBe(first.from);
  });
});
