import fc from 'fast-check';
import { DateTime } from 'luxon';
import { DomainRuleViolation } from './errors.js';
import { instantMillis, isLocalDate, isLocalTime, isTimezone, parseInstant } from './instant.js';

describe('instants', () => {
  it('accept ISO 8601 with an offset or Z', () => {
    expect(parseInstant('2025-08-09T07:30:00+07:00').toMillis()).toBe(Date.UTC(2025, 7, 9, 0, 30));
    expect(parseInstant('2025-08-09T00:30Z').toMillis()).toBe(Date.UTC(2025, 7, 9, 0, 30));
    expect(parseInstant('2025-08-09T07:30:00.250+0700').toMillis()).toBe(
      Date.UTC(2025, 7, 9, 0, 30, 0, 250),
    );
  });

  it.each([
    '2025-08-09T07:30:00',
    '2025-08-09',
    '2025-13-09T07:30:00Z',
    '2025-08-09T25:00:00Z',
    'yesterday',
    '',
  ])('refuse %p', (value) => {
    expect(() => parseInstant(value)).toThrow(DomainRuleViolation);
  });

  it('name the field in the message', () => {
    expect(() => parseInstant('2025-08-09T07:30', 'startedAt')).toThrow(
      /startedAt must be an ISO 8601 instant with an offset/,
    );
  });
});

describe('dates, times and zones', () => {
  it('check calendar dates', () => {
    expect(isLocalDate('2024-02-29')).toBe(true);
    expect(isLocalDate('2025-02-29')).toBe(false);
    expect(isLocalDate('2025-8-9')).toBe(false);
  });

  it('check HH:mm, with 24:00 only as an end', () => {
    expect(isLocalTime('07:00')).toBe(true);
    expect(isLocalTime('23:59')).toBe(true);
    expect(isLocalTime('24:00')).toBe(false);
    expect(isLocalTime('24:00', true)).toBe(true);
    expect(isLocalTime('7:00')).toBe(false);
  });

  it('check IANA zones', () => {
    expect(isTimezone('Asia/Ho_Chi_Minh')).toBe(true);
    expect(isTimezone('Europe/Berlin')).toBe(true);
    expect(isTimezone('Asia/Saigon_City')).toBe(false);
  });
});

describe('instant milliseconds', () => {
  it('agree with luxon for any instant written in any offset', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }),
        fc.constantFrom(
          'UTC',
          'Asia/Ho_Chi_Minh',
          'Europe/Berlin',
          'America/New_York',
          'Asia/Kolkata',
        ),
        fc.boolean(),
        (millis, zone, compact) => {
          const extended = DateTime.fromMillis(millis, { zone }).toISO() as string;
          // Both offset spellings, +07:00 and +0700, are ISO 8601.
          const written = compact ? extended.replace(/([+-]\d{2}):(\d{2})$/, '$1$2') : extended;
          expect(instantMillis(written)).toBe(millis);
        },
      ),
    );
  });

  it.each([
    '2025-02-30T00:00:00Z',
    '2025-04-31T08:00:00+07:00',
    '2025-08-10T09:00:60Z',
    '2025-08-10T09:00:00',
  ])('refuse %p, which Date.parse alone would accept or roll over', (value) => {
    expect(() => instantMillis(value)).toThrow(DomainRuleViolation);
  });

  it('read 24:00 as the next midnight, as ISO 8601 and luxon do', () => {
    expect(instantMillis('2025-08-10T24:00:00Z')).toBe(Date.UTC(2025, 7, 11));
  });
});
