import type { NewEvent } from '#event-store';
import { eventSchemaVersions } from '#domain';
import {
  activityWaves,
  appendWaves,
  nameUuid,
  type Append,
} from '../../libs/projections/src/demo/activity-generator.js';
import { dumpLive, withoutPositions } from './support/dump.js';
import { projectionFixture, type Fixture } from './support/projection-fixture.js';

// The same history written twice: once as today's code writes it, once as it lay in the log before
// ProgrammeAttendanceRecorded went to version 2. Version 1 is written here by hand (the head count at
// the top of data, schema version 1), not by inverting the upcaster, so the test checks the upcaster
// against what version 1 really looked like.
const asVersion1 = (event: NewEvent): NewEvent => {
  if (event.type !== 'ProgrammeAttendanceRecorded') return event;
  const { attendees, ...rest } = event.data as { attendees: { members: number; citizens: number } };
  return {
    ...event,
    schemaVersion: 1,
    data: { ...rest, members: attendees.members, citizens: attendees.citizens },
  };
};
// Recorded as the command path records them today (schema version 2), one to three counts each.
const v2 = (id: string, type: string, data: object, hour: number): NewEvent => {
  const at = new Date(Date.UTC(2025, 2, 1, hour)).toISOString();
  return {
    eventId: nameUuid(id),
    type,
    schemaVersion: eventSchemaVersions[type as 'ProgrammeHeld'],
    data: data as Record<string, unknown>,
    metadata: {
      occurredAt: at,
      recordedAt: at,
      recordedBy: 'coordinator',
      commandId: id,
      correlationId: id,
      causationId: null,
    },
  };
};
function programmes(unitIds: string[]): Append[] {
  return Array.from({ length: 30 }, (_, i) => {
    const programmeId = `t${i}`;
    const counts = Array.from({ length: 1 + (i % 3) }, (_, k) =>
      v2(
        `t${i}/${k + 1}`,
        'ProgrammeAttendanceRecorded',
        {
          programmeId,
          attendees: { members: 10 + i + k, citizens: 3 * i + k },
          recordedAt: new Date(Date.UTC(2025, 2, 2 + k)).toISOString(),
        },
        24 * (1 + k),
      ),
    );
    const held = v2(
      `t${i}/0`,
      'ProgrammeHeld',
      {
        programmeId,
        unitId: unitIds[i % unitIds.length],
        kind: 'training',
        title: `Tập huấn ${i}`,
        topic: null,
        startsAt: '2025-03-01T08:00:00+07:00',
        endsAt: null,
        partners: [],
        attendees: { members: i, citizens: 0 },
      },
      0,
    );
    return { streamId: `programme-${programmeId}`, events: [held, ...counts] };
  });
}
function history(): Append[][] {
  const waves = [
    ...activityWaves({
      targetEvents: 2_500,
      members: 40,
      campaigns: 2,
      concurrentShifts: 25,
      seed: 5,
    }),
  ];
  const unitIds = waves
    .flat()
    .flatMap((a) => a.events)
    .filter((e) => e.type === 'UnitRegistered')
    .map((e) => (e.data as { unitId: string }).unitId);
  return [...waves, programmes(unitIds)];
}
describe('a history stored in version 1, replayed after a type went to version 2', () => {
  let current: Fixture;
  let version1: Fixture;
  let waves: Append[][];

  beforeAll(async () => {
    waves = history();
    current = await projectionFixture('upcast_v2');
    version1 = await projectionFixture('upcast_v1');
    // one append at a time, so both logs hold the events in the same order and at the same positions
    const written = await appendWaves(current.store, waves, 1);
    const old = await appendWaves(
      version1.store,
      waves.map((wave) => wave.map((a) => ({ ...a, events: a.events.map(asVersion1) }))),
      1,
    );
    current.track(written.lastPosition);
    version1.track(old.lastPosition);
    await Promise.all([current.settle(), version1.settle()]);
  });
  afterAll(async () => {
    await current?.close();
    await version1?.close();
  });

  it('holds the old shape in its log, as version 1 wrote it', async () => {
    const { rows } = await version1.pool.query<{ schema_version: number; data: object }>(
      `SELECT schema_version, data FROM events WHERE type = 'ProgrammeAttendanceRecorded'`,
    );

    expect(rows.length).toBeGreaterThan(40);
    for (const row of rows) {
      expect(row.schema_version).toBe(1);
      expect(row.data).toHaveProperty('members');
      expect(row.data).not.toHaveProperty('attendees');
    }
  });

  it('projects to the same read models, row for row, as the history written in version 2', async () => {
    const [fromVersion1, fromCurrent] = await Promise.all([
      dumpLive(version1.pool),
      dumpLive(current.pool),
    ]);

    expect(Object.keys(fromVersion1).length).toBeGreaterThan(10);
    expect(withoutPositions(fromVersion1)).toEqual(withoutPositions(fromCurrent));
  });

  it('counts each programme by its latest head count, the version-1 one included', async () => {
    // the independent answer: the last head count of each programme in the generated history
    const latest = new Map<string, { members: number; citizens: number }>();
    for (const event of waves.flat().flatMap((a) => a.events))
      if (event.type === 'ProgrammeAttendanceRecorded') {
        const d = event.data as {
          programmeId: string;
          attendees: { members: number; citizens: number };
        };
        latest.set(d.programmeId, d.attendees);
      }
    const schema = await version1.schema('programmes-skills');
    const { rows } = await version1.pool.query<{
      programme_id: string;
      members: number;
      citizens: number;
    }>(`SELECT programme_id, members, citizens FROM ${schema}.ps_programmes`);

    expect(latest.size).toBeGreaterThan(10);
    expect(
      Object.fromEntries(
        rows.map((r) => [r.programme_id, { members: r.members, citizens: r.citizens }]),
      ),
    ).toEqual(Object.fromEntries(latest));
  });
});
