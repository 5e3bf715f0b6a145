import fc from 'fast-check';
import {
  instantProblem,
  localDateProblem,
  localTimeProblem,
  valuePatterns,
  valueRanges,
} from './values.js';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** An instant as a client may write it: any year near the range, any offset near it, colon or not. */
const instants = fc
  .record({
    year: fc.integer({ min: valueRanges.firstYear - 20, max: valueRanges.lastYear + 20 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }), // the calendar is the gate's alone: see values.ts
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    seconds: fc.option(fc.tuple(fc.integer({ min: 0, max: 59 }), fc.option(fc.nat(999)))),
    offset: fc.option(
      fc.record({
        hours: fc.integer({ min: -16, max: 16 }),
        minutes: fc.constantFrom(0, 30, 45, 59),
        negative: fc.boolean(),
        colon: fc.boolean(),
      }),
    ),
  })
  .map(({ year, month, day, hour, minute, seconds, offset }) => {
    const time = `${pad(hour)}:${pad(minute)}${seconds ? `:${pad(seconds[0])}${seconds[1] === null ? '' : `.${pad(seconds[1], 3)}`}` : ''}`;
    const zone = offset
      ? `${offset.hours < 0 || (offset.hours === 0 && offset.negative) ? '-' : '+'}${pad(Math.abs(offset.hours))}${offset.colon ? ':' : ''}${pad(offset.minutes)}`
      : 'Z';
    return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${time}${zone}`;
  });

// /docs gives every instant, date and time of day of the API its pattern (libs/commands validators.ts),
// so that a client generated from it refuses what the server refuses. Before, the document took a
// shift started in 1999 or at +15:00, and a campaign ending in 2100, all of which the server refuses.
describe('the value patterns /docs shows say what the gate says', () => {
  it('an instant matches the pattern exactly when the gate takes it', () => {
    fc.assert(
      fc.property(instants, (value) => {
        // given an instant a client wrote; when the pattern and the gate read it; then they agree
        expect({ value, pattern: new RegExp(valuePatterns.instant).test(value) }).toEqual({
          value,
          pattern: instantProblem(value) === null,
        });
        expect(new RegExp(valuePatterns.instantOrDate).test(value)).toBe(
          instantProblem(value) === null,
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('a date matches exactly when the gate takes it, the calendar aside', () => {
    for (let year = valueRanges.firstYear - 30; year <= valueRanges.lastYear + 30; year++)
      for (const monthDay of ['01-01', '12-31', '02-28', '13-01', '00-10', '06-00']) {
        const date = `${year}-${monthDay}`;
        const gate = localDateProblem(date) === null;
        expect({ date, pattern: new RegExp(valuePatterns.localDate).test(date) }).toEqual({
          date,
          pattern: gate,
        });
        expect({ date, query: new RegExp(valuePatterns.instantOrDate).test(date) }).toEqual({
          date,
          query: gate,
        });
      }
  });

  it('a time of day matches exactly when the gate takes it, 24:00 at the end of a window only', () => {
    for (let h = 0; h <= 25; h++)
      for (const m of [0, 30, 59, 60]) {
        const time = `${pad(h)}:${pad(m)}`;
        expect({ time, start: new RegExp(valuePatterns.localTime).test(time) }).toEqual({
          time,
          start: localTimeProblem(time) === null,
        });
        expect({ time, end: new RegExp(valuePatterns.localTimeOrMidnight).test(time) }).toEqual({
          time,
          end: localTimeProblem(time, true) === null,
        });
      }
  });
});
