import { eventSchemaVersions, upcastEvent } from '../events.js';
import { reportOddSchemaOnce, upcasters, type OddSchema } from './upcasting.js';

// A type that went through three shapes: v1 `name`, v2 `fullName`, v3 `{ given, family }`.
const registry = upcasters<'Renamed' | 'Stable'>({
  Renamed: [
    ({ name, ...rest }) => ({ ...rest, fullName: name }),
    ({ fullName, ...rest }) => {
      const [given = '', ...family] = String(fullName).split(' ');
      return { ...rest, given, family: family.join(' ') };
    },
  ],
  Stable: [],
});
const stored = (type: string, schemaVersion: number, data: object) => ({
  type,
  schemaVersion,
  data,
  eventId: 'e-1',
  streamVersion: 4n,
});
const oddOnes = () => {
  const odd: [string, OddSchema][] = [];
  return { odd, onOdd: (e: { type: string }, reason: OddSchema) => odd.push([e.type, reason]) };
};

describe('an upcaster registry', () => {
  it("derives each type's current version from its chain of steps", () => {
    expect(registry.versions).toEqual({ Renamed: 3, Stable: 1 });
  });

  it('applies every step from the stored version to the current one and keeps the envelope', () => {
    const fromV1 = registry.upcast(stored('Renamed', 1, { id: 'x', name: 'Lê Thị Hạnh' }));
    const fromV2 = registry.upcast(stored('Renamed', 2, { id: 'x', fullName: 'Lê Thị Hạnh' }));

    const current = { id: 'x', given: 'Lê', family: 'Thị Hạnh' };
    expect(fromV1).toEqual({ ...stored('Renamed', 3, current) });
    expect(fromV2).toEqual({ ...stored('Renamed', 3, current) });
  });

  it('hands an event already current back as the same object, and leaves the stored one untouched', () => {
    const current = stored('Stable', 1, { id: 'x' });
    const old = stored('Renamed', 1, { name: 'A B' });

    expect(registry.upcast(current)).toBe(current);
    registry.upcast(old);
    expect(old).toEqual(stored('Renamed', 1, { name: 'A B' }));
  });

  it('hands unknown types, newer and invalid versions and failing steps on as stored, flagged, never thrown', () => {
    const { odd, onOdd } = oddOnes();
    const failing = upcasters({ Bad: [() => JSON.parse('{')] });
    const events = [
      stored('NotOurs', 1, { a: 1 }),
      stored('Renamed', 7, { shape: 'from the future' }),
      stored('Renamed', 0, { name: 'x' }),
      stored('Renamed', 1.5, { name: 'x' }),
    ];

    const read = events.map((e) => registry.upcast(e, onOdd));
    const bad = stored('Bad', 1, { a: 1 });

    expect(read).toEqual(events);
    expect(failing.upcast(bad, onOdd)).toBe(bad);
    expect(odd).toEqual([
      ['NotOurs', 'unknown_type'],
      ['Renamed', 'future_version'],
      ['Renamed', 'invalid_version'],
      ['Renamed', 'invalid_version'],
      ['Bad', 'step_failed'],
    ]);
  });

  it('reports each odd type, version and reason once', () => {
    const lines: string[] = [];
    const onOdd = reportOddSchemaOnce((line) => lines.push(line));

    for (let i = 0; i < 3; i++) registry.upcast(stored('Renamed', 9, {}), onOdd);
    registry.upcast(stored('Renamed', 8, {}), onOdd);

    expect(lines).toEqual([
      'event Renamed schema version 9 read as stored (future version)',
      'event Renamed schema version 8 read as stored (future version)',
    ]);
  });
});

describe("the domain's registry", () => {
  it('brings a version-1 head count into the attendees shape of version 2', () => {
    const v1 = stored('ProgrammeAttendanceRecorded', 1, {
      programmeId: 'g1',
      members: 40,
      citizens: 9,
      recordedAt: '2025-08-02T09:00:00+07:00',
    });

    expect(eventSchemaVersions.ProgrammeAttendanceRecorded).toBe(2);
    expect(upcastEvent(v1)).toEqual(
      stored('ProgrammeAttendanceRecorded', 2, {
        programmeId: 'g1',
        attendees: { members: 40, citizens: 9 },
        recordedAt: '2025-08-02T09:00:00+07:00',
      }),
    );
  });

  it('has every other type at version 1', () => {
    const others = Object.entries(eventSchemaVersions).filter(
      ([type]) => type !== 'ProgrammeAttendanceRecorded',
    );
    expect(others.length).toBeGreaterThan(15);
    expect(others.every(([, version]) => version === 1)).toBe(true);
  });
});
