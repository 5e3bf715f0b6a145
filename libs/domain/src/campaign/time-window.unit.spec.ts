import {
  campaignDays,
  clipToWindow,
  isInWindow,
  localDate,
  type CampaignCalendar,
} from './time-window.js';

// The August 2025 party-card drive: 9–15 August, 07:00–22:00 every day, Ho Chi Minh City time.
const cardDrive: CampaignCalendar = {
  timezone: 'Asia/Ho_Chi_Minh',
  startDate: '2025-08-09',
  endDate: '2025-08-15',
  dailyWindow: { from: '07:00', to: '22:00' },
};
const allDayBerlin: CampaignCalendar = {
  timezone: 'Europe/Berlin',
  startDate: '2025-03-29',
  endDate: '2025-10-26',
  dailyWindow: { from: '00:00', to: '24:00' },
};

describe('local dates', () => {
  it('read an instant on the calendar of the zone', () => {
    expect(localDate('2025-08-09T20:00:00Z', 'Asia/Ho_Chi_Minh')).toBe('2025-08-10');
    expect(localDate('2025-08-09T20:00:00Z', 'Europe/Berlin')).toBe('2025-08-09');
    expect(localDate('2025-08-10T02:00:00+07:00', 'America/New_York')).toBe('2025-08-09');
  });

  it('list every campaign day, both ends included, across months and years', () => {
    expect(campaignDays(cardDrive)).toEqual([
      '2025-08-09',
      '2025-08-10',
      '2025-08-11',
      '2025-08-12',
      '2025-08-13',
      '2025-08-14',
      '2025-08-15',
    ]);
    expect(campaignDays({ ...cardDrive, startDate: '2025-12-31', endDate: '2026-01-01' })).toEqual([
      '2025-12-31',
      '2026-01-01',
    ]);
    expect(campaignDays({ ...cardDrive, endDate: '2025-08-09' })).toEqual(['2025-08-09']);
  });
});

describe('the daily window', () => {
  it('includes its start and excludes its end', () => {
    expect(isInWindow(cardDrive, '2025-08-09T07:00:00+07:00')).toBe(true);
    expect(isInWindow(cardDrive, '2025-08-09T06:59:59+07:00')).toBe(false);
    expect(isInWindow(cardDrive, '2025-08-15T21:59:59+07:00')).toBe(true);
    expect(isInWindow(cardDrive, '2025-08-15T22:00:00+07:00')).toBe(false);
  });

  it('is read in the campaign zone whatever the offset of the instant', () => {
    expect(isInWindow(cardDrive, '2025-08-09T00:00:00Z')).toBe(true); // 07:00 in HCMC
    expect(isInWindow(cardDrive, '2025-08-08T23:59:00Z')).toBe(false);
  });

  it('excludes days outside the campaign', () => {
    expect(isInWindow(cardDrive, '2025-08-08T12:00:00+07:00')).toBe(false);
    expect(isInWindow(cardDrive, '2025-08-16T12:00:00+07:00')).toBe(false);
  });
});

describe('clipping a shift to the window', () => {
  it('counts only the hours inside the window', () => {
    expect(clipToWindow(cardDrive, '2025-08-10T06:00:00+07:00', '2025-08-10T08:00:00+07:00')).toBe(
      1,
    );
    expect(clipToWindow(cardDrive, '2025-08-10T08:00:00+07:00', '2025-08-10T11:30:00+07:00')).toBe(
      3.5,
    );
  });

  it('handles a shift across midnight', () => {
    expect(clipToWindow(cardDrive, '2025-08-10T21:00:00+07:00', '2025-08-11T09:00:00+07:00')).toBe(
      3,
    );
  });

  it('counts nothing before the first or after the last day', () => {
    expect(clipToWindow(cardDrive, '2025-08-08T21:00:00+07:00', '2025-08-09T08:00:00+07:00')).toBe(
      1,
    );
    expect(clipToWindow(cardDrive, '2025-08-15T21:00:00+07:00', '2025-08-16T09:00:00+07:00')).toBe(
      1,
    );
    expect(clipToWindow(cardDrive, '2025-08-16T07:00:00+07:00', '2025-08-16T09:00:00+07:00')).toBe(
      0,
    );
  });

  it('spans several days', () => {
    expect(clipToWindow(cardDrive, '2025-08-09T00:00:00+07:00', '2025-08-11T00:00:00+07:00')).toBe(
      30,
    );
  });

  it('counts real hours on DST days (Europe/Berlin)', () => {
    expect(
      clipToWindow(allDayBerlin, '2025-03-30T00:00:00+01:00', '2025-03-31T00:00:00+02:00'),
    ).toBe(23);
    expect(
      clipToWindow(allDayBerlin, '2025-10-26T00:00:00+02:00', '2025-10-27T00:00:00+01:00'),
    ).toBe(25);
    const nightWindow = { ...allDayBerlin, dailyWindow: { from: '01:00', to: '04:00' } };
    expect(
      clipToWindow(nightWindow, '2025-03-30T00:00:00+01:00', '2025-03-30T12:00:00+02:00'),
    ).toBe(2);
    expect(
      clipToWindow(nightWindow, '2025-10-26T00:00:00+02:00', '2025-10-26T12:00:00+01:00'),
    ).toBe(4);
  });

  it('counts nothing for an empty or reversed span', () => {
    expect(clipToWindow(cardDrive, '2025-08-10T08:00:00+07:00', '2025-08-10T08:00:00+07:00')).toBe(
      0,
    );
    expect(clipToWindow(cardDrive, '2025-08-10T09:00:00+07:00', '2025-08-10T08:00:00+07:00')).toBe(
      2 * 0,
    );
  });
});
