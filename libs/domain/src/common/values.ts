import { IANAZone } from 'luxon';
import { DomainRuleViolation } from './errors.js';

/**
 * The one home of the value ranges (API.md "General"): instants, local dates and times, time zones
 * and free text. Two sides, both here so that they cannot drift apart:
 *
 * - the gate (`*Problem`, `require*`): what a new command may bring. It accepts only what every
 *   consumer can store and compute with: PostgreSQL refuses an offset beyond ±15:59 and the year 0,
 *   a day loop over years 0000–9999 never ends, a lone UTF-16 surrogate is not text jsonb takes.
 *   The request validators, the query parameters and the deciders all ask these functions.
 * - the stored side (`stored*`, in stored-values.ts): what a consumer reads from the log. Older gates
 *   were wider, so an event may hold anything they let through; those readers bring it into the
 *   gate's range (clamped) or answer null, and never throw: one odd event must not stop a projection.
 */
export const valueRanges = {
  firstYear: 2000,
  lastYear: 2099,
  /** −12:00 (Baker Island) to +14:00 (Line Islands): every offset in use. */
  minOffsetMinutes: -12 * 60,
  maxOffsetMinutes: 14 * 60,
} as const;

export const firstDate = `${valueRanges.firstYear}-01-01`;
export const lastDate = `${valueRanges.lastYear}-12-31`;

const hourMs = 3_600_000;
/** The earliest and latest instants the gate accepts, in epoch milliseconds. */
export const instantBounds = {
  min: Date.UTC(valueRanges.firstYear, 0, 1) - (valueRanges.maxOffsetMinutes / 60) * hourMs,
  max: Date.UTC(valueRanges.lastYear + 1, 0, 1) - (valueRanges.minOffsetMinutes / 60) * hourMs,
};

/**
 * The gate's ranges as regular expressions (ECMA-262, and RE2 for Go's validators), for /docs: a client
 * generated from the document refuses a year 1999 or an offset +15:00 itself, as the server does. They
 * are the shape and the ranges only (a 31 February passes them; the gate refuses it): what a pattern
 * can say. value-patterns.unit.spec.ts holds them to the gate's functions below.
 */
const yearPattern = (() => {
  const [first, last] = [valueRanges.firstYear, valueRanges.lastYear];
  // years 2000–2099: the century's two digits, then any two
  if (Math.floor(first / 100) !== Math.floor(last / 100) || first % 100 || last % 100 !== 99)
    throw new Error('valuePatterns express a range of whole centuries only');
  return `${Math.floor(first / 100)}\\d{2}`;
})();
const datePart = `${yearPattern}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])`;
const instantPart =
  `${datePart}T(?:[01]\\d|2[0-4]):[0-5]\\d(?::[0-5]\\d(?:[.,]\\d{1,9})?)?` +
  // −12:00 to +14:00, the colon optional (as the gate reads them)
  '(?:Z|\\+(?:0\\d|1[0-3]):?[0-5]\\d|\\+14:?00|-(?:0\\d|1[01]):?[0-5]\\d|-12:?00)';
const timePart = '(?:[01]\\d|2[0-3]):[0-5]\\d';

export const valuePatterns = {
  instant: `^${instantPart}$`,
  localDate: `^${datePart}$`,
  localTime: `^${timePart}$`,
  /** The end of a daily window may be 24:00. */
  localTimeOrMidnight: `^(?:${timePart}|24:00)$`,
  /** A period's bound in a query: an instant or a date. */
  instantOrDate: `^(?:${datePart}|${instantPart})$`,
} as const;

/**
 * What an id is (API.md "General"): ids become part of stream names (`shift-<id>`), so letters, digits
 * and a few separators. The request gate refuses any other; the request log writes no other.
 */
export const idPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

/** Longest text per kind of field, in UTF-16 code units (what JavaScript's `length` counts). */
export const textLimits = {
  name: 200,
  location: 300,
  reason: 500,
  title: 300,
  channel: 100,
  tag: 50,
  focus: 300,
  citizenRef: 200,
  topic: 300,
  partner: 200,
  /** A post's link: an absolute URL (the request gate checks its form), held to the same characters. */
  url: 2000,
  /** Who acted: a token's `sub` (recorded as `recordedBy`) and the unit it acts in. */
  actor: 200,
} as const;
export type TextKind = keyof typeof textLimits;

// `2025-08-09T07:30:00+07:00`: seconds and fraction optional, offset `Z`, `±HH:MM` or `±HHMM`. A bare
// local date-time is refused (read in the server's zone, it would be a guess), and so is `±HH`: the
// request gate never took it, so no stored event has it. The fraction follows a full stop: ISO 8601
// also allows a comma, but RFC 3339 and Date.parse do not, and the hours certificate is checked by
// such readers (a stored `07:30:00,5+07:00` gave it null hours and failed its offline check).
const instantShape =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):?(\d{2}))$/;
// The stored side also reads what older gates or luxon took: lower case, `±HH`, a decimal comma.
const storedInstantShape =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:Z|([+-])(\d{2})(?::?(\d{2}))?)$/i;
const dateShape = /^(\d{4})-(\d{2})-(\d{2})$/;
const timeShape = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
// IANA names: `Area/Location`, `UTC`, `Etc/GMT+7`; never an offset like `+07:00`, which PostgreSQL
// would read with the POSIX sign (inverted).
const zoneShape = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){0,2}$/;
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

type InstantParts = { millis: number; year: number; offsetMinutes: number };

// Arithmetic rather than a Date per call: every projection reads several instants per event, and
// these two were a fifth of a rebuild's JavaScript time. The calendar is the proleptic Gregorian one
// Date uses; `month` is 1–12 (callers check it first).
const monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysInMonth = (year: number, month: number): number =>
  month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
    ? 29
    : monthDays[month - 1]!;

function utcMillis(year: number, month: number, day: number, h = 0, m = 0, s = 0, ms = 0) {
  if (year >= 100) return Date.UTC(year, month - 1, day, h, m, s, ms);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // setUTCFullYear, unlike Date.UTC, keeps years 0–99
  date.setUTCHours(h, m, s, ms);
  return date.getTime();
}

/** The parts of an instant whose calendar and clock fields are real; offset not range-checked. */
function instantParts(value: unknown, shape: RegExp): InstantParts | null {
  const match = typeof value === 'string' ? shape.exec(value) : null;
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4]);
  const minute = Number(match[5]);
  const second = Number(match[6] ?? 0);
  const millisecond = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3));
  const sign = match[8] === '-' ? -1 : 1;
  const offsetMinutes = match[8] ? sign * (Number(match[9]) * 60 + Number(match[10] ?? 0)) : 0;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  // 24:00 is ISO 8601's end of a day, the next midnight (luxon reads it so; older gates let it in)
  const endOfDay = hour === 24 && minute === 0 && second === 0 && millisecond === 0;
  if ((hour > 23 && !endOfDay) || minute > 59 || second > 59 || Number(match[10] ?? 0) > 59) {
    return null;
  }
  const local = utcMillis(year, month, day, hour, minute, second, millisecond);
  return { millis: local - offsetMinutes * 60_000, year, offsetMinutes };
}

const instantExample = 'e.g. 2025-08-09T07:30:00+07:00';

/** Why `value` is not an instant the gate accepts, or null when it is one. */
export function instantProblem(value: unknown): string | null {
  const parts = instantParts(value, instantShape);
  if (!parts) {
    return typeof value === 'string' && instantParts(value.replace(',', '.'), instantShape)
      ? 'must write the fraction of a second after a full stop, not a comma, e.g. 2025-08-09T07:30:00.5+07:00'
      : `must be an ISO 8601 instant with an offset, ${instantExample}`;
  }
  const { year, offsetMinutes } = parts;
  if (year < valueRanges.firstYear || year > valueRanges.lastYear) {
    return `must lie in the years ${valueRanges.firstYear}–${valueRanges.lastYear}`;
  }
  if (
    offsetMinutes < valueRanges.minOffsetMinutes ||
    offsetMinutes > valueRanges.maxOffsetMinutes
  ) {
    return 'must have an offset between -12:00 and +14:00';
  }
  return null;
}

/** Why `value` is not a date `YYYY-MM-DD` the gate accepts, or null. */
export function localDateProblem(value: unknown): string | null {
  if (!isCalendarDate(value)) return 'must be a date YYYY-MM-DD';
  const year = Number(value.slice(0, 4));
  if (year < valueRanges.firstYear || year > valueRanges.lastYear) {
    return `must lie in the years ${valueRanges.firstYear}–${valueRanges.lastYear}`;
  }
  return null;
}

/** Why `value` is not a time of day `HH:mm` (`24:00` too when `endOfDay`), or null. */
export function localTimeProblem(value: unknown, endOfDay = false): string | null {
  const ok =
    typeof value === 'string' && (timeShape.test(value) || (endOfDay && value === '24:00'));
  return ok ? null : `must be a time of day HH:mm${endOfDay ? ' (or 24:00)' : ''}`;
}

// IANAZone.isValidZone builds an Intl formatter on every call (~100 µs): remember the answers.
const zoneValidity = new Map<string, boolean>();

/**
 * IANA zones whose name PostgreSQL reads as an abbreviation of a fixed offset: it looks a name up
 * among its abbreviations (timezone_abbreviations, `Default`) before its zones, so `AT TIME ZONE 'CET'`
 * is UTC+1 all year, while the zone CET that Luxon reads keeps summer time. A campaign in one of them
 * would get its progress counted in one offset (JS) and its members' hours in another (SQL) half the
 * year. The other names both read (EST, MST, HST, GMT, UTC…) have one offset either way. Each maps to
 * the place the IANA data now links it to, which names the same rules unambiguously.
 */
export const abbreviationZones: ReadonlyMap<string, string> = new Map([
  ['CET', 'Europe/Brussels'],
  ['EET', 'Europe/Athens'],
  ['MET', 'Europe/Brussels'],
  ['WET', 'Europe/Lisbon'],
]);

/** The tz database's names without a slash (upper case); PostgreSQL ships the same database. */
const slashlessZones = new Set(
  (
    'CET CST6CDT Cuba EET Egypt Eire EST EST5EDT GB GB-Eire GMT GMT+0 GMT-0 GMT0 Greenwich HST ' +
    'Hongkong Iceland Iran Israel Jamaica Japan Kwajalein Libya MET MST MST7MDT Navajo NZ NZ-CHAT ' +
    'Poland Portugal PRC PST8PDT ROC ROK Singapore Turkey UCT Universal UTC W-SU WET Zulu'
  )
    .toUpperCase()
    .split(' '),
);

/**
 * Whether Luxon accepts `value` only because ICU has it, the tz database (and so PostgreSQL) not:
 * ICU's Java-era three-letter ids (`VST` is Asia/Saigon to ICU; `IST` Asia/Calcutta, which
 * PostgreSQL reads as Israel's +02:00), `SystemV/…`, and two names the tz database dropped. A campaign
 * in one had its progress counted by Luxon while the members' hours in SQL read another offset or
 * failed on the name, which stopped the volunteer-activity projection for every campaign.
 */
function icuOnlyZone(value: string): boolean {
  const name = value.toUpperCase();
  if (!name.includes('/')) return !slashlessZones.has(name);
  return (
    name.startsWith('SYSTEMV/') || name === 'US/PACIFIC-NEW' || name === 'CANADA/EAST-SASKATCHEWAN'
  );
}

/**
 * The place an ICU-only zone name stands for (ICU's canonical tz database name: `VST` is
 * Asia/Saigon), or undefined for any other name, and for one whose only place is ICU's own.
 */
export function icuZonePlace(value: unknown): string | undefined {
  if (typeof value !== 'string' || !zoneShape.test(value) || !icuOnlyZone(value)) return undefined;
  if (!validZone(value)) return undefined;
  const place = new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone;
  return icuOnlyZone(place) ? undefined : place;
}

function validZone(value: string): boolean {
  let valid = zoneValidity.get(value);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(value);
    if (zoneValidity.size > 1_000) zoneValidity.clear();
    zoneValidity.set(value, valid);
  }
  return valid;
}

const notAZone = 'must be an IANA time zone, e.g. Asia/Ho_Chi_Minh';

/** Why `value` is not an IANA time zone name, or null. */
export function timezoneProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 64 || !zoneShape.test(value)) return notAZone;
  const place = abbreviationZones.get(value.toUpperCase());
  if (place) {
    return `must name a place, e.g. ${place}: PostgreSQL reads ${value} as a fixed offset without summer time`;
  }
  if (!validZone(value)) return notAZone;
  if (!icuOnlyZone(value)) return null;
  const icuPlace = icuZonePlace(value);
  return icuPlace
    ? `must name a place, e.g. ${icuPlace}: ${value} is not in the tz database PostgreSQL reads`
    : notAZone;
}

// A skill is a code other systems count by (`vneid_level2`): lower-case ASCII, digits and `_`.
const skillShape = /^[a-z][a-z0-9_]{0,63}$/;
/** skillCodeProblem's shape, for /docs. */
export const skillCodePattern = skillShape.source;

/** Why `value` is not a skill code (`vneid_level2`, or another lower_snake_case code), or null. */
export function skillCodeProblem(value: unknown): string | null {
  return typeof value === 'string' && skillShape.test(value)
    ? null
    : 'must be a skill code of lower-case letters, digits and _ (1 to 64), e.g. vneid_level2';
}

/** Whether a string is valid Unicode: no lone UTF-16 surrogate, which no UTF-8 store can hold. */
export const isWellFormedText = (value: string): boolean => !loneSurrogate.test(value);

/**
 * Characters a screen draws as nothing: whitespace, the default-ignorable code points (zero-width
 * space and joiners, U+2060 word joiner, U+FEFF, the soft hyphen, variation selectors, Hangul
 * fillers), combining marks with no letter to sit on, format and other control characters,
 * unassigned and private-use code points, and the Braille blank U+2800. A text made only of these
 * shows an empty cell on the dashboard and in a CSV: not a name, a place or a reason.
 */
const invisible = /^[\s\p{Default_Ignorable_Code_Point}\p{M}\p{C}\u2800]*$/u;

/**
 * Bidirectional embeddings, overrides and isolates (U+202A–202E, U+2066–2069): each reorders how the
 * text after it is drawn, up to the end of the line, beyond the field it was typed in, so that a
 * dashboard row or a CSV line shows another name, figure or reason than the one stored ("Trojan
 * Source", CVE-2021-42574). A right-to-left name needs none of them; the marks U+200E, U+200F and
 * U+061C, which only set one character's direction, stay allowed.
 */
const bidiControl = /[\u202A-\u202E\u2066-\u2069]/;
/**
 * C0 and C1 control characters other than tab, line feed and carriage return (which the CSVs quote
 * and the pages show as space): a terminal, a log reader or a spreadsheet acts on them (ESC starts a
 * terminal escape sequence) rather than showing them.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is what it is for
const controlCharacter = /[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/**
 * Who acted (a token's `sub` and `unitId`) is an identity, printed on one line wherever it is shown:
 * tab, line feed and carriage return too, which free text may hold.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is what it is for
const actorControlCharacter = /[\u0001-\u001F\u007F-\u009F]/;

/**
 * Combining marks stacked on one character beyond what any script writes (Vietnamese puts at most
 * two on a letter, Hebrew and Tibetan four or five): each draws a layer higher, so a letter
 * carrying dozens ("Zalgo" text) paints over the dashboard rows above and below it.
 */
export const maxCombiningMarks = 8;
const markStack = new RegExp(`\\p{M}{${maxCombiningMarks + 1}}`, 'u');

const codePoint = (char: string) =>
  `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Why `value` is not free text of that kind: not blank, up to the kind's limit, valid Unicode, no
 * NUL, something visible, no bidirectional control, no other control character than a line break or
 * a tab, and no stack of combining marks. Blank means what `requireFreeText` trims away, so
 * whitespace alone is refused here, by the request gate, exactly as the empty string is (a 400
 * naming the field), not later as a domain rule. Only new commands are asked: values an older gate
 * stored are read as they are.
 */
export function freeTextProblem(value: unknown, kind: TextKind): string | null {
  if (typeof value !== 'string') return 'must be a string';
  if (value.trim() === '') return 'must not be empty or only whitespace';
  if (value.length > textLimits[kind]) {
    return `must be 1 to ${textLimits[kind]} characters long`;
  }
  if (!isWellFormedText(value)) return 'must be valid Unicode (it holds a lone surrogate)';
  if (value.includes('\u0000')) return 'must not contain the NUL character (\\u0000)';
  const control = (kind === 'actor' ? actorControlCharacter : controlCharacter).exec(value)?.[0];
  if (control) return `must not contain the control character ${codePoint(control)}`;
  const bidi = bidiControl.exec(value)?.[0];
  if (bidi) {
    return `must not contain the bidirectional control ${codePoint(bidi)}, which reorders the text after it`;
  }
  if (invisible.test(value)) {
    return 'must contain a visible character (it holds only invisible or formatting characters)';
  }
  if (markStack.test(value)) {
    return `must not stack more than ${maxCombiningMarks} combining marks on one character`;
  }
  return null;
}

function refuse(code: string, field: string, problem: string | null, value: unknown): void {
  if (problem) {
    throw new DomainRuleViolation(code, `${field} ${problem} (got ${JSON.stringify(value)})`);
  }
}

/** The instant's epoch milliseconds; `invalid_instant` unless the gate accepts it. */
export function requireInstant(value: unknown, field: string): number {
  refuse('invalid_instant', field, instantProblem(value), value);
  return instantParts(value, instantShape)!.millis;
}

export function requireLocalDate(value: unknown, field: string): string {
  refuse('invalid_date', field, localDateProblem(value), value);
  return value as string;
}

/**
 * Free text of a kind, trimmed and in Unicode's composed form (NFC); blank is `<field>_required`,
 * anything else wrong `<field>_invalid`. Phones type Vietnamese either precomposed or with combining
 * marks: the two look alike everywhere but compare and sort as different strings, so a
 * spreadsheet's lookup or a database query over an export takes one name for two. Stored values
 * keep the form they were recorded in.
 */
export function requireFreeText(value: unknown, field: string, kind: TextKind): string {
  const text = typeof value === 'string' ? value.trim().normalize('NFC') : '';
  if (text === '') {
    throw new DomainRuleViolation(`${toSnake(field)}_required`, `${field} must not be empty`);
  }
  const problem = freeTextProblem(text, kind);
  if (problem) throw new DomainRuleViolation(`${toSnake(field)}_invalid`, `${field} ${problem}`);
  return text;
}

export const toSnake = (field: string): string =>
  field
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/\W+/g, '_')
    .toLowerCase();

/** Epoch milliseconds of any instant an older gate may have taken (any year, any offset), or null. */
export function readInstantMillis(value: unknown): number | null {
  const fixed = typeof value === 'string' ? fixedInstantMillis(value) : undefined;
  if (fixed !== undefined) return fixed;
  const parts = instantParts(value, storedInstantShape);
  return parts && Number.isFinite(parts.millis) ? parts.millis : null;
}

/**
 * `YYYY-MM-DDTHH:MM:SS.sss` then `Z` or `±HH:MM`, the form the gate stores, read by character codes:
 * a rebuild reads several instants per event, and the regular expression's captures were most of
 * their cost. Only an ordinary, valid instant is answered here; anything else (another form, 24:00, a
 * field out of range) is undefined, and the expression decides as before.
 */
function fixedInstantMillis(v: string): number | undefined {
  const length = v.length;
  if (length !== 24 && length !== 29) return undefined;
  if (
    v.charCodeAt(4) !== 45 || // -
    v.charCodeAt(7) !== 45 ||
    v.charCodeAt(10) !== 84 || // T
    v.charCodeAt(13) !== 58 || // :
    v.charCodeAt(16) !== 58 ||
    v.charCodeAt(19) !== 46 // .
  )
    return undefined;
  const digits = (from: number, count: number): number => {
    let n = 0;
    for (let i = from; i < from + count; i++) {
      const c = v.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return NaN;
      n = n * 10 + c;
    }
    return n;
  };
  const year = digits(0, 4);
  const month = digits(5, 2);
  const day = digits(8, 2);
  const hour = digits(11, 2);
  const minute = digits(14, 2);
  const second = digits(17, 2);
  const millisecond = digits(20, 3);
  let offsetMinutes = 0;
  if (length === 24) {
    if (v.charCodeAt(23) !== 90) return undefined; // Z
  } else {
    const sign = v.charCodeAt(23);
    const offsetMinute = digits(27, 2);
    if ((sign !== 43 && sign !== 45) || v.charCodeAt(26) !== 58 || !(offsetMinute <= 59))
      return undefined;
    offsetMinutes = (sign === 45 ? -1 : 1) * (digits(24, 2) * 60 + offsetMinute);
  }
  if (
    !(month >= 1 && month <= 12) ||
    !(day >= 1 && day <= daysInMonth(year, month)) ||
    !(hour <= 23 && minute <= 59 && second <= 59 && millisecond >= 0) ||
    !Number.isFinite(offsetMinutes)
  )
    return undefined;
  const millis =
    utcMillis(year, month, day, hour, minute, second, millisecond) - offsetMinutes * 60_000;
  return Number.isFinite(millis) ? millis : undefined;
}

/** Whether `value` is a real calendar date `YYYY-MM-DD`, whatever its year. */
export function isCalendarDate(value: unknown): value is string {
  const match = typeof value === 'string' ? dateShape.exec(value) : null;
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** The field's zone: campaigns without one, and dates in queries, are read in it. */
export const defaultTimezone = 'Asia/Ho_Chi_Minh';
