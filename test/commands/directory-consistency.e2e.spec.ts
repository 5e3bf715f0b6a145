import { randomUUID } from 'node:crypto';
import type { NewEvent } from '#event-store';
import {
  hoursAgo,
  operator,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from './commands-kit.js';

/** An event as another process would have appended it (no write-through into this process's directory). */
const raw = (type: string, data: Record<string, unknown>): NewEvent => {
  const now = new Date().toISOString();
  return {
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    data,
    metadata: {
      occurredAt: now,
      recordedAt: now,
      recordedBy: 'elsewhere',
      commandId: randomUUID(),
      correlationId: randomUUID(),
      causationId: null,
    },
  };
};

describe('the write-side directory knows what other writers recorded', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  beforeAll(async () => {
    kit = await startCommandsKit('cmd_directory');
    ids = await seedTree(kit, 'd');
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('a unit another process registered a moment ago is in the tree at once', async () => {
    await kit.store.append(
      'unit-d-elsewhere',
      [
        raw('UnitRegistered', {
          unitId: 'd-elsewhere',
          name: 'Chi đoàn X',
          kind: 'branch',
          parentId: ids.ward,
        }),
      ],
      { expectedVersion: 'no_stream' },
    );
    await kit.store.append(
      'unit-d-below',
      [
        raw('UnitRegistered', {
          unitId: 'd-below',
          name: 'Tổ Y',
          kind: 'branch',
          parentId: 'd-elsewhere',
        }),
      ],
      { expectedVersion: 'no_stream' },
    );
    const coordinator = { sub: 'd-coord', role: 'coordinator' as const, unitId: ids.ward };
    const res = await kit.post('/members', coordinator, {
      id: 'd-new',
      unitId: 'd-below',
      displayName: 'Ngô Văn Mới',
    });
    expect(res.status).toBe(201);
    const outside = { sub: 'd-out', role: 'coordinator' as const, unitId: ids.branch };
    expect(
      (await kit.post('/members', outside, { unitId: 'd-below', displayName: 'x' })).status,
    ).toBe(403);
  });

  it("a shift another process recorded counts against the member's next shift once it is in the feed", async () => {
    const event = raw('ShiftStarted', {
      shiftId: 'd-other',
      memberId: ids.member,
      campaignId: null,
      location: 'x',
      startedAt: hoursAgo(4),
    });
    const { position } = await kit.store.append('shift-d-other', [event], {
      expectedVersion: 'no_stream',
    });
    // The feed shows an event once no older transaction of the server is still open.
    for (let i = 0; i < 200 && (await kit.store.headPosition()) < position; i++)
      await new Promise((r) => setTimeout(r, 50));
    const res = await kit.post('/shifts', operator, {
      memberId: ids.member,
      location: 'x',
      startedAt: hoursAgo(2),
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('shift_overlaps');
  });

  it('a whole shift life another process recorded is folded in order: the corrected times count', async () => {
    // given a shift of the member started, ended and then corrected to 30–28 hours ago, and a
    // second one started and rejected, all appended straight to the store in one go
    const member = ids.other;
    const lived = [
      raw('ShiftStarted', {
        shiftId: 'd-lived',
        memberId: member,
        campaignId: null,
        location: 'x',
        startedAt: hoursAgo(40),
      }),
      raw('ShiftEnded', { shiftId: 'd-lived', endedAt: hoursAgo(38) }),
      raw('ShiftCorrected', {
        shiftId: 'd-lived',
        startedAt: hoursAgo(30),
        endedAt: hoursAgo(28),
        reason: 'typed the wrong day',
      }),
    ];
    await kit.store.append('shift-d-lived', lived, { expectedVersion: 'no_stream' });
    const { position } = await kit.store.append(
      'shift-d-lived-2',
      [
        raw('ShiftStarted', {
          shiftId: 'd-lived-2',
          memberId: member,
          campaignId: null,
          location: 'x',
          startedAt: hoursAgo(50),
        }),
        raw('ShiftEnded', { shiftId: 'd-lived-2', endedAt: hoursAgo(49) }),
      ],
      { expectedVersion: 'no_stream' },
    );
    for (let i = 0; i < 200 && (await kit.store.headPosition()) < position; i++)
      await new Promise((r) => setTimeout(r, 50));

    // when the member records a shift over the old times, and then starts one in the corrected ones
    const overOldTimes = await kit.post('/shifts', operator, {
      memberId: member,
      location: 'x',
      startedAt: hoursAgo(39),
    });
    const ended = await kit.post(`/shifts/${overOldTimes.body.id}/end`, operator, {
      endedAt: hoursAgo(38.5),
    });
    const overCorrected = await kit.post('/shifts', operator, {
      memberId: member,
      location: 'x',
      startedAt: hoursAgo(29),
    });

    // then only the corrected times stand in the way
    expect(overOldTimes.status).toBe(201);
    expect(ended.status).toBe(201);
    expect(overCorrected.status).toBe(422);
    expect(overCorrected.body.code).toBe('shift_overlaps');
  });
});
