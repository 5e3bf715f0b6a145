import fc from 'fast-check';
import { DomainRuleViolation } from './errors.js';
import {
  freeTextProblem,
  instantBounds,
  instantProblem,
  localDateProblem,
  localTimeProblem,
  requireFreeText,
  requireInstant,
  textLimits,
  timezoneProblem,
} from './values.js';
import { storedCount, storedInstant, storedLocalDate, storedTimezone } from './stored-values.js';

describe('the gate accepts instants every consumer can store', () => {
  it.each([
    '2025-08-09T07:30:00+07:00',
    '2025-08-09T07:30+0700',
    '2025-08-09T00:30:00.250Z',
    '2000-01-01T00:00:00+14:00',
    '2099-12-31T23:59:59-12:00',
    '2025-08-10T24:00:00Z',
  ])('accepts %p', (value) => {
    expect(instantProblem(value)).toBeNull();
  });

  it.each([
    ['2025-08-09T07:30:00+16:00', /offset/],
    ['2025-08-09T07:30:00+14:30', /offset/],
    ['2025-08-09T07:30:00-12:30', /offset/],
    ['2025-08-09T07:30:00+07', /ISO 8601/], // refused by the request gate before: now everywhere
    ['2025-08-09T07:30:00+07:60', /ISO 8601/],
    ['9999-12-31T00:00:00Z', /2000–2099/],
    ['0000-01-01T00:00:00Z', /2000–2099/],
    ['1999-12-31T23:59:59Z', /2000–2099/],
    ['2025-02-29T00:00:00Z', /ISO 8601/],
    ['2025-08-09T07:30:00', /ISO 8601/],
    ['2025-08-09t07:30:00z', /ISO 8601/],
    ['2025-08-09T07:30:00,5+07:00', /full stop/], // ISO 8601, but neither RFC 3339 nor Date.parse
  ])('refuses %p', (value, message) => {
    expect(instantProblem(value)).toMatch(message);
  });

  it('reads the instant it accepts exactly, as Date does', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 2), max: Date.UTC(2099, 11, 30) }),
        fc.integer({ min: -12 * 4, max: 14 * 4 }).map((q) => q * 15),
        (millis, offset) => {
          const local = new Date(millis + offset * 60_000).toISOString().slice(0, 23);
          const sign = offset < 0 ? '-' : '+';
          const abs = Math.abs(offset);
          const written = `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          expect(requireInstant(written, 'at')).toBe(millis);
          expect(Date.parse(written)).toBe(millis);
        },
      ),
    );
  });

  it('names the field in the domain refusal', () => {
    expect(() => requireInstant('2025-08-09T07:30:00+16:00', 'startedAt')).toThrow(
      DomainRuleViolation,
    );
    expect(() => requireInstant('2025-08-09T07:30:00+16:00', 'startedAt')).toThrow(/^startedAt /);
  });
});

describe('dates, times, zones and text', () => {
  it('dates are real and in 2000–2099', () => {
    expect(localDateProblem('2024-02-29')).toBeNull();
    expect(localDateProblem('2099-12-31')).toBeNull();
    expect(localDateProblem('2025-02-29')).toMatch(/YYYY-MM-DD/);
    expect(localDateProblem('9999-12-31')).toMatch(/2000–2099/);
    expect(localDateProblem('0000-01-01')).toMatch(/2000–2099/);
  });

  it('times are HH:mm, 24:00 only as an end', () => {
    expect(localTimeProblem('23:59')).toBeNull();
    expect(localTimeProblem('24:00')).not.toBeNull();
    expect(localTimeProblem('24:00', true)).toBeNull();
  });

  it('zones are IANA names, never offsets PostgreSQL would read with the POSIX sign', () => {
    expect(timezoneProblem('Asia/Ho_Chi_Minh')).toBeNull();
    expect(timezoneProblem('America/Argentina/Buenos_Aires')).toBeNull();
    expect(timezoneProblem('+07:00')).not.toBeNull();
    expect(timezoneProblem('Mars/Olympus')).not.toBeNull();
    expect(timezoneProblem('A'.repeat(100))).not.toBeNull();
    // PostgreSQL reads these as fixed offsets (zone-agreement.int)
    expect(timezoneProblem('CET')).toContain('Europe/Brussels');
  });

  it('free text is valid Unicode within its kind’s limit', () => {
    expect(freeTextProblem('Nguyễn Thị Mai 🚀', 'name')).toBeNull();
    expect(freeTextProblem('x'.repeat(textLimits.name), 'name')).toBeNull();
    expect(freeTextProblem('x'.repeat(textLimits.name + 1), 'name')).toMatch(/1 to 200/);
    expect(freeTextProblem('', 'reason')).toMatch(/must not be empty/);
    expect(freeTextProblem(' \t\u00a0\n', 'reason')).toBe(freeTextProblem('', 'reason'));
    expect(freeTextProblem('Nguy\uD800n', 'name')).toMatch(/lone surrogate/);
    expect(freeTextProblem('\uDC00', 'reason')).toMatch(/lone surrogate/);
    expect(freeTextProblem('a\u0000b', 'title')).toMatch(/NUL/);
    expect(() => requireFreeText('  ', 'reason', 'reason')).toThrow(/reason must not be empty/);
    expect(() => requireFreeText('\uD83D', 'reason', 'reason')).toThrow(DomainRuleViolation);
  });
});

describe('free text is something a reader sees, in the order it was typed', () => {
  // Vietnamese as phones type it: precomposed (NFC) and with combining marks (NFD, up to two a letter)
  const vietnamese = ['Nguyễn Thị Ánh Tuyết', 'Nguyễn Thị Ánh Tuyết'.normalize('NFD')];

  it('refuses a text made only of characters that show nothing', () => {
    // given texts of zero-width spaces and joiners, word joiners, BOMs, soft hyphens, variation
    // selectors, a lone combining mark, Hangul fillers and the Braille blank
    const nothing = [
      '\u200B',
      '\u200B\u200C\u200D',
      '\u2060\u2060',
      '\uFEFF',
      '\u00AD\u00AD',
      '\uFE0F\uFE0E',
      ' \u0301 ',
      '\u3164\u115F',
      '\u2800',
      '\u200E\u200B',
      '\u{E0041}\u{E0042}',
    ];
    // when the gate is asked, then each is refused for showing nothing (U+FEFF is whitespace to
    // trim, so blank), for every kind, and by the domain too
    for (const text of nothing) {
      expect(freeTextProblem(text, 'name')).toMatch(/visible character|only whitespace/);
      expect(freeTextProblem(text, 'reason')).toMatch(/visible character|only whitespace/);
      expect(() => requireFreeText(text, 'displayName', 'name')).toThrow(DomainRuleViolation);
    }
  });

  it('refuses bidirectional controls, which show the text after them in another order', () => {
    // given a name that an RLO makes read "Nguyễn Văn An 0 giờ" backwards, and each embedding,
    // override and isolate control
    const controls = [
      '\u202A',
      '\u202B',
      '\u202C',
      '\u202D',
      '\u202E',
      '\u2066',
      '\u2067',
      '\u2068',
      '\u2069',
    ];
    for (const control of controls) {
      const text = `Nguyễn Văn An${control} 0 giờ`;
      // when the gate is asked, then it is refused naming the control
      const hex = control.codePointAt(0)!.toString(16).toUpperCase();
      expect(freeTextProblem(text, 'name')).toMatch(new RegExp(`bidirectional control U\\+${hex}`));
      expect(() => requireFreeText(text, 'reason', 'reason')).toThrow(/reason_invalid|reorders/);
    }
    // and a right-to-left name with the marks that set one character's direction is accepted
    expect(freeTextProblem('\u0645\u0631\u064A\u0645 \u200F(2)', 'name')).toBeNull();
    expect(freeTextProblem('\u05E9\u05E8\u05D4\u200E \u061C', 'name')).toBeNull();
  });

  it('refuses control characters other than a line break or a tab', () => {
    // given C0 controls (ESC starts a terminal escape), DEL, C1 controls (NEL, CSI)
    for (const control of [
      '\u0001',
      '\u0007',
      '\u001B[31m',
      '\u000B',
      '\u000C',
      '\u007F',
      '\u0085',
      '\u009B',
    ]) {
      // when the gate is asked, then it is refused naming the control
      expect(freeTextProblem(`Chi đoàn ${control}1`, 'name')).toMatch(/control character U\+00/);
    }
    // while a reason over two lines, or with a tab, is text
    expect(freeTextProblem('Giờ sai,\r\nđã sửa\tlại', 'reason')).toBeNull();
    expect(freeTextProblem('dòng một\u2028dòng hai\u2029', 'reason')).toBeNull();
  });

  it('refuses a letter carrying more combining marks than any script stacks', () => {
    // given a letter under 9 and one under 10,000 combining marks (the second also too long)
    expect(freeTextProblem(`Z${'\u0301'.repeat(9)}algo`, 'name')).toMatch(/combining marks/);
    expect(freeTextProblem(`Z${'\u0301'.repeat(10_000)}`, 'reason')).toMatch(/1 to 500/);
    // while Vietnamese with two marks a letter, and Hebrew with four, are accepted
    expect(freeTextProblem('Nguyễn Thị Ánh Tuyết'.normalize('NFD'), 'name')).toBeNull();
    expect(freeTextProblem('\u05E9\u05BC\u05C1\u05B8\u0591', 'name')).toBeNull();
    expect(freeTextProblem(`a${'\u0301'.repeat(8)}`, 'name')).toBeNull();
  });

  it('accepts names that carry an invisible character among visible ones', () => {
    // a ZWJ emoji sequence, a variation selector on a symbol, a soft hyphen inside a word
    for (const text of [
      'Đội 👩\u200D💻',
      'Tình nguyện ❤\uFE0F',
      'Chuyển\u00ADđổi',
      ...vietnamese,
    ]) {
      expect(freeTextProblem(text, 'name')).toBeNull();
    }
  });
});

describe('the stored side reads whatever an older gate let in, and never throws', () => {
  it('clamps instants into the gate’s range, as UTC text PostgreSQL stores', () => {
    expect(storedInstant('2025-08-09T07:30:00+16:00')).toBe('2025-08-08T15:30:00.000Z');
    expect(storedInstant('9999-12-31T23:00:00-16:00')).toBe(
      new Date(instantBounds.max).toISOString(),
    );
    expect(storedInstant('0000-01-01T00:00:00Z')).toBe(new Date(instantBounds.min).toISOString());
    expect(storedInstant('2025-08-09T07:30:00+07')).toBe('2025-08-09T00:30:00.000Z');
    expect(storedInstant('yesterday')).toBeNull();
    expect(storedInstant(null)).toBeNull();
  });

  it('reads the stored form by character codes exactly as the expression reads it', () => {
    // given instants in the form the gate stores (and near misses the expression must decide)
    const fixed = fc
      .record({
        ms: fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }),
        offset: fc.integer({ min: -16 * 60, max: 16 * 60 }),
      })
      .map(({ ms, offset }) => {
        const local = new Date(ms + offset * 60_000).toISOString().slice(0, 23);
        const hhmm = `${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}:${String(Math.abs(offset) % 60).padStart(2, '0')}`;
        return {
          ms,
          text: offset === 0 ? `${local}Z` : `${local}${offset < 0 ? '-' : '+'}${hhmm}`,
        };
      });
    fc.assert(
      fc.property(fixed, ({ ms, text }) => {
        // then the instant is the one written, clamped like any other
        const clamped = Math.min(instantBounds.max, Math.max(instantBounds.min, ms));
        expect(storedInstant(text)).toBe(new Date(clamped).toISOString());
      }),
    );
    expect(storedInstant('2025-02-29T10:00:00.000+07:00')).toBeNull();
    expect(storedInstant('2024-02-29T10:00:00.000+07:00')).toBe('2024-02-29T03:00:00.000Z');
    expect(storedInstant('2025-08-09T24:00:00.000+07:00')).toBe('2025-08-09T17:00:00.000Z');
    expect(storedInstant('2025-08-09T07:60:00.000+07:00')).toBeNull();
    expect(storedInstant('2025-08-09T07:30:00.000+07:60')).toBeNull();
    expect(storedInstant('2025-08-09t07:30:00.000z')).toBe('2025-08-09T07:30:00.000Z');
  });

  it('clamps dates and counts, and falls back to the field’s zone', () => {
    expect(storedLocalDate('9999-12-31')).toBe('2099-12-31');
    expect(storedLocalDate('0000-01-01')).toBe('2000-01-01');
    expect(storedLocalDate('2025-02-30', '2025-08-09')).toBe('2025-08-09');
    expect(storedCount(9e15, 1)).toBe(1_000_000);
    expect(storedCount('x', 1)).toBe(1);
    expect(storedTimezone('Mars/Olympus')).toBe('Asia/Ho_Chi_Minh');
    expect(storedTimezone('wet')).toBe('Europe/Lisbon');
  });

  it('answers for any string at all', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const instant = storedInstant(value);
        if (instant !== null) {
          const millis = Date.parse(instant);
          expect(millis).toBeGreaterThanOrEqual(instantBounds.min);
          expect(millis).toBeLessThanOrEqual(instantBounds.max);
        }
        expect(localDateProblem(storedLocalDate(value))).toBeNull();
      }),
    );
  });
});
