import { DomainRuleViolation } from './errors.js';
import { isLocalDate, isLocalTime, isTimezone, parseInstant } from './instant.js';

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
