import fc from 'fast-check';

/**
 * Generators of command bodies for generated-input.e2e.spec.ts: each field of API.md's commands is a
 * valid value most of the time, and otherwise a boundary or odd one of its kind (or of another kind:
 * an array where an object is expected, a number where a string is). Instants are described rather
 * than written (how long ago, at which offset, in which form), so that a shrunk case is still
 * "inside the shift" when it is sent later.
 */

/** An instant `hoursBack` before the moment it is sent, at `offset` minutes, written in `form`. */
export type InstantSpec = Readonly<{ hoursBack: number; offset: number; form: InstantForm }>;
type InstantForm = (typeof instantForms)[number];
const instantForms = [
  'canonical',
  'no-colon',
  'no-seconds',
  'nanoseconds',
  'one-digit',
  'comma',
  'minus-zero',
  'lower-case',
  'no-offset',
  'hour-offset',
  'leap-second',
  'basic',
] as const;
/** −12:00 to +14:00 and what lies just beyond, odd minutes (Nepal, Chatham, Eucla) included. */
const offsets = [0, 420, -720, 840, 841, -721, 345, 525, 765, -210, 959, -960];

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

export function writeInstant({ hoursBack, offset, form }: InstantSpec, now = Date.now()): string {
  const local = new Date(now - hoursBack * 3_600_000 + offset * 60_000);
  const date = local.toISOString().slice(0, 10);
  const hm = local.toISOString().slice(11, 16);
  const s = local.toISOString().slice(16, 19);
  const ms = local.toISOString().slice(19, 23);
  const sign = offset < 0 ? '-' : '+';
  const zone = `${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
  switch (form) {
    case 'canonical':
      return `${date}T${hm}${s}${ms}${zone}`;
    case 'no-colon':
      return `${date}T${hm}${s}${ms}${zone.replace(':', '')}`;
    case 'no-seconds':
      return `${date}T${hm}${zone}`;
    case 'nanoseconds':
      return `${date}T${hm}${s}${ms}999999${zone}`;
    case 'one-digit':
      return `${date}T${hm}${s}${ms.slice(0, 2)}${zone}`;
    case 'comma':
      return `${date}T${hm}${s}${ms.replace('.', ',')}${zone}`;
    case 'minus-zero':
      return `${date}T${hm}${s}${ms}${offset === 0 ? '-00:00' : zone}`;
    case 'lower-case':
      return `${date}t${hm}${s}${ms}${offset === 0 ? 'z' : zone}`;
    case 'no-offset':
      return `${date}T${hm}${s}${ms}`;
    case 'hour-offset':
      return `${date}T${hm}${s}${ms}${zone.slice(0, 3)}`;
    case 'leap-second':
      return `${date}T${hm}:60${zone}`;
    case 'basic':
      return `${date.replace(/-/g, '')}T${hm.replace(':', '')}${s.slice(1)}${zone.replace(':', '')}`;
  }
}

/** An instant about `hoursBack` ago (a minute either way), as a marker `resolve` writes out. */
export const instantNear = (hoursBack: number): fc.Arbitrary<{ $instant: InstantSpec }> =>
  fc
    .record({
      hoursBack: fc.integer({ min: -1, max: 1 }).map((m) => hoursBack + m / 60),
      offset: fc.constantFrom(...offsets),
      form: fc.constantFrom(...instantForms),
    })
    .map(($instant) => ({ $instant }));

/** A date `days` from the day it is sent (UTC), as a marker `resolve` writes out. */
export const dayFromNow = (days: fc.Arbitrary<number>) => days.map(($day) => ({ $day }));

/**
 * The body as sent: markers replaced (`$instant`, `$day`, and `$ref`, which `refs` names: a fresh id,
 * the shift under test…), absent fields dropped.
 */
export function resolve(
  value: unknown,
  refs: (name: string) => unknown,
  now = Date.now(),
): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(v, refs, now));
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  if ('$instant' in object) return writeInstant(object.$instant as InstantSpec, now);
  if ('$day' in object)
    return new Date(now + (object.$day as number) * 86_400_000).toISOString().slice(0, 10);
  if ('$ref' in object) return refs(object.$ref as string);
  return Object.fromEntries(
    Object.entries(object)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, resolve(v, refs, now)]),
  );
}

/** Instants that are no moment of the years 2000–2099, or not one in the form asked for. */
export const oddInstants = [
  '2000-01-01T00:00:00+14:00',
  '2099-12-31T23:59:59.999-12:00',
  '1999-12-31T23:59:59.999Z',
  '2025-02-29T12:00:00+07:00',
  '2025-W32-6T07:00:00Z',
  '2025-221T07:00:00Z',
  '2025-08-09T24:00:01Z',
  '2025-08-09T07:00:00.0000000001Z',
  '2025-08-09T07:00:00+07:00[Asia/Saigon]',
  '٢٠٢٥-٠٨-٠٩T07:00:00Z',
  '2025-08-09',
  '',
];

export const oddDates = [
  '2000-01-01',
  '2099-12-31',
  '2024-02-29',
  '2025-02-29',
  '1999-12-31',
  '2100-01-01',
  '2025-W32-6',
  '2025-221',
  '20250809',
  '2025-8-9',
  ' 2025-08-09',
  '2025-08-09T00:00:00Z',
  '+002025-08-09',
];

export const oddTimes = ['00:00', '24:00', '23:59', '24:01', '7:00', '07:00:00', '07:60', '00:01'];

/** Zones: links, case variants, POSIX-signed Etc names, abbreviations PostgreSQL reads otherwise. */
export const zones = [
  'Asia/Ho_Chi_Minh',
  'Asia/Saigon',
  'asia/ho_chi_minh',
  'Etc/GMT+12',
  'Etc/GMT-14',
  'Etc/GMT+13',
  'UTC',
  'EST5EDT',
  'America/Argentina/ComodRivadavia',
  'Antarctica/Troll',
  'Pacific/Kiritimati',
  'Pacific/Chatham',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'Europe/Kyiv',
  'CET',
  'VST',
  'Factory',
  'US/Pacific-New',
  'Asia/Hanoi',
  '+07:00',
  'GMT+7',
  'Asia/Ho_Chi_Minh ',
];

export const oddIds = [
  'a',
  'a..b',
  'a:b',
  'a.',
  '-a',
  'x'.repeat(100),
  'x'.repeat(101),
  '',
  ' ',
  'a/b',
  '..',
  'ü',
  'a\n',
  '__proto__',
  'constructor',
];

export const oddTexts = [
  'x',
  'x'.repeat(200),
  'x'.repeat(201),
  '=1+2',
  'a,b;c"d',
  'a\nb',
  '  padded  ',
  '👨‍👩‍👧',
  'e\u0301',
  '\u00a0',
  '\u202Ex',
  '__proto__',
  'x\u0000',
];

export const oddNumbers = [0, -1, 0.5, 1e21, 2 ** 31, 2 ** 53, 1e9, 1e9 + 1, 10_001, 1_000_001];

/** A value of another kind than the field's. */
export const strayValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, [], {}, '1', 'NaN', -0),
  fc.jsonValue({ maxDepth: 2 }),
);

/** `valid` most of the time, else one of `odd`, else a stray value; `optional` fields may be absent. */
export function field<T>(
  valid: fc.Arbitrary<T>,
  odd: readonly unknown[],
  optional = false,
): fc.Arbitrary<T | unknown> {
  const variants: fc.WeightedArbitrary<unknown>[] = [
    { arbitrary: valid, weight: 12 },
    { arbitrary: fc.constantFrom(...odd), weight: 2 },
    { arbitrary: strayValue, weight: 1 },
  ];
  if (optional) variants.push({ arbitrary: fc.constant(undefined), weight: 3 });
  return fc.oneof(...variants);
}

/** How a body reaches the server: as the object, inside an array, or with a duplicate first key. */
export const bodyForm = fc.constantFrom(
  'object',
  'object',
  'object',
  'array',
  'duplicate',
  'proto',
);

export function writeBody(body: Record<string, unknown>, form: string): string {
  const text = JSON.stringify(body);
  const inner = text.slice(1, -1);
  const first = Object.keys(body)[0];
  switch (form) {
    case 'array':
      return `[${text}]`;
    case 'duplicate':
      return first === undefined
        ? text
        : `{${JSON.stringify(first)}:null${inner ? ',' : ''}${inner}}`;
    case 'proto':
      return `{"__proto__":{"polluted":true}${inner ? ',' : ''}${inner}}`;
    default:
      return text;
  }
}
