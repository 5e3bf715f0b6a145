import request from 'supertest';
import type { NewEvent } from '#event-store';
import type { Actor } from '#platform';
import {
  operator,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from '../commands/commands-kit.js';

const auditor: Actor = { sub: 'auditor-1', role: 'auditor' };
const viewer: Actor = { sub: 'viewer-1', role: 'viewer' };

// A programme recorded before ProgrammeAttendanceRecorded went to version 2: its head count lies in
// the log as version 1 wrote it (`members` and `citizens` at the top of data), stored straight
// through the event store. Commands fold it, projections count it, and the audit route shows it as
// stored, all through the domain's upcasters.
describe('a programme whose head count is stored in version 1', () => {
  let kit: CommandsKit;
  let unitId: string;
  const stored = (id: string, type: string, data: object, at: string): NewEvent => ({
    eventId: id,
    type,
    schemaVersion: 1,
    data: data as Record<string, unknown>,
    metadata: {
      occurredAt: at,
      recordedAt: at,
      recordedBy: 'op-1',
      commandId: id,
      correlationId: id,
      causationId: null,
    },
  });
  const read = async (path: string, actor: Actor) =>
    request(kit.server)
      .get(path)
      .set('Authorization', await kit.bearer(actor));

  beforeAll(async () => {
    kit = await startCommandsKit('programme_v1', { worker: true });
    unitId = (await seedTree(kit, 'pv1')).ward;
    await kit.store.append(
      'programme-pv1-g1',
      [
        stored(
          'b3c1a0d2-0000-4000-8000-000000000001',
          'ProgrammeHeld',
          {
            programmeId: 'pv1-g1',
            unitId,
            kind: 'awareness',
            title: 'Phòng chống lừa đảo trên mạng',
            topic: null,
            startsAt: '2025-03-01T08:00:00+07:00',
            endsAt: null,
            partners: [],
            attendees: { members: 30, citizens: 5 },
          },
          '2025-03-01T08:00:00+07:00',
        ),
        stored(
          'b3c1a0d2-0000-4000-8000-000000000002',
          'ProgrammeAttendanceRecorded',
          {
            programmeId: 'pv1-g1',
            members: 40,
            citizens: 9,
            recordedAt: '2025-03-02T09:00:00+07:00',
          },
          '2025-03-02T09:00:00+07:00',
        ),
      ],
      { expectedVersion: 'no_stream' },
    );
  });
  afterAll(() => kit?.close());

  it('folds the version-1 count: a new count keeps the citizens it does not give, an older one is refused', async () => {
    const older = await kit.post('/programmes/pv1-g1/attendance', operator, {
      members: 45,
      recordedAt: '2025-03-02T08:00:00+07:00',
    });
    const newer = await kit.post('/programmes/pv1-g1/attendance', operator, {
      members: 50,
      recordedAt: '2025-03-03T09:00:00+07:00',
    });

    expect(older.status).toBe(409);
    expect(older.body.detail).toMatch(/already recorded/);
    expect(newer.status).toBe(201);
    const events = await kit.store.readStream('programme-pv1-g1');
    expect(events[2]).toMatchObject({
      type: 'ProgrammeAttendanceRecorded',
      schemaVersion: 2,
      data: { programmeId: 'pv1-g1', attendees: { members: 50, citizens: 9 } },
    });

    const programmes = await read(
      `/units/${unitId}/programmes?minPosition=${newer.body.position}`,
      viewer,
    );
    expect(programmes.status).toBe(200);
    expect(programmes.body.programmes[0]).toMatchObject({
      programmeId: 'pv1-g1',
      attendees: { members: 50, citizens: 9 },
    });
  });

  it('shows auditors each event as stored, with its stored version and the version it is read in', async () => {
    const stream = await read('/audit/streams/programme-pv1-g1', auditor);
    const verify = await read('/audit/streams/programme-pv1-g1/verify', auditor);

    expect(stream.status).toBe(200);
    const [held, v1, v2] = stream.body.events;
    expect(held).toMatchObject({ schemaVersion: 1, currentSchemaVersion: 1 });
    expect(v1).toMatchObject({
      schemaVersion: 1,
      currentSchemaVersion: 2,
      data: { programmeId: 'pv1-g1', members: 40, citizens: 9 },
    });
    expect(v1.data).not.toHaveProperty('attendees');
    expect(v2).toMatchObject({ schemaVersion: 2, currentSchemaVersion: 2 });
    expect(verify.body).toMatchObject({ valid: true, events: 3 });
  });
});
