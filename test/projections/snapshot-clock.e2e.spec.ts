import { eventSchemaVersions } from '#domain';
import type { NewEvent } from '#event-store';
import type { Actor } from '#platform';
import { nameUuid } from '../../libs/projections/src/demo/activity-generator.js';
import {
  auditor,
  type CommandsKit,
  finishedJob,
  operator,
  seedTree,
  startCommandsKit,
  viewer,
} from '../commands/commands-kit.js';

/** An event as the command path records it, at a moment of the past (`recordedAt` = `at`). */
const recorded = (
  id: string,
  type: 'ShiftStarted' | 'PostPublished' | 'UnitRegistered',
  data: object,
  at: string,
) =>
  ({
    eventId: nameUuid(id),
    type,
    schemaVersion: eventSchemaVersions[type],
    data: data as Record<string, unknown>,
    metadata: {
      occurredAt: at,
      recordedAt: at,
      recordedBy: 'coord-1',
      commandId: id,
      correlationId: id,
      causationId: null,
    },
  }) satisfies NewEvent;

// API.md "Snapshots (time travel)": a snapshot answers as the read models stood at its point. Two
// answers also depend on the clock: an open shift is `overdue` past MAX_SHIFT_HOURS (audit hours), and
// a posting streak is current when it reaches today (cadence). Read from a snapshot they were judged
// by today's clock, so a snapshot's answer changed from one day to the next, a shift open for an hour
// at the snapshot's moment read as overdue, and a streak running then read as broken.
describe("a snapshot's answers are judged at its own moment, not by today's clock", () => {
  let kit: CommandsKit;
  let tree: Awaited<ReturnType<typeof seedTree>>;
  let shiftStart = 0n;
  let lastPost = 0n;
  const get = (path: string, actor: Actor) => kit.send('get', path, actor);
  const snapshotTo = async (id: string, bound: object) => {
    const started = await kit.post('/admin/snapshots', operator, { id, ...bound });
    expect(started.status).toBe(202);
    expect((await finishedJob(kit, started.body.id)).state).toBe('done');
  };
  const append = async (streamId: string, event: NewEvent) =>
    (await kit.store.append(streamId, [event], { expectedVersion: 'no_stream' })).position;

  beforeAll(async () => {
    kit = await startCommandsKit('snapshot_clock', { worker: true });
    tree = await seedTree(kit, 'clk');
    // Recorded as they happened, in 2025: a ward, a shift of the member started at 08:00 on 1 June
    // and never ended, then three days of good news on the ward's page (the last at 09:00, Hanoi
    // time, on 3 June, 42 hours after the shift's start).
    await append(
      'unit-clk-old-ward',
      recorded(
        'clk-u',
        'UnitRegistered',
        { unitId: 'clk-old-ward', name: 'Đoàn phường cũ', kind: 'ward', parentId: null },
        '2025-05-01T00:00:00Z',
      ),
    );
    shiftStart = await append(
      'shift-clk-s1',
      recorded(
        'clk-s1',
        'ShiftStarted',
        {
          shiftId: 'clk-s1',
          memberId: tree.member,
          campaignId: null,
          location: 'TTHCC',
          startedAt: '2025-06-01T08:00:00Z',
        },
        '2025-06-01T08:00:00Z',
      ),
    );
    for (const day of ['01', '02', '03']) {
      const at = `2025-06-${day}T02:00:00Z`;
      lastPost = await append(
        `post-clk-p${day}`,
        recorded(
          `clk-p${day}`,
          'PostPublished',
          {
            postId: `clk-p${day}`,
            unitId: 'clk-old-ward',
            channel: 'facebook',
            title: `Tin tốt ${day}`,
            url: null,
            tags: ['good-news'],
            publishedAt: at,
            authorMemberId: null,
          },
          at,
        ),
      );
    }
  }, 120_000);
  afterAll(() => kit?.close());

  it('flags an open shift overdue only if it was overdue when its snapshot stood', async () => {
    // given a snapshot to the shift's start (its last event recorded then) and one to the last
    // post, recorded 42 hours later, when the shift had been open past MAX_SHIFT_HOURS (16)
    await snapshotTo('clk-at-start', { toPosition: shiftStart.toString() });
    await snapshotTo('clk-later', { toPosition: lastPost.toString() });

    // when an auditor reads the member's hours from each
    const atStart = await get(`/audit/members/${tree.member}/hours?snapshot=clk-at-start`, auditor);
    const later = await get(`/audit/members/${tree.member}/hours?snapshot=clk-later`, auditor);

    // then the shift is open in both, and overdue only in the later one
    expect(atStart.status).toBe(200);
    expect(atStart.body.shifts).toEqual([
      expect.objectContaining({ shiftId: 'clk-s1', status: 'open', overdue: false }),
    ]);
    expect(later.status).toBe(200);
    expect(later.body.shifts).toEqual([
      expect.objectContaining({ shiftId: 'clk-s1', status: 'open', overdue: true }),
    ]);
  });

  it("counts a posting streak as current when it reached the snapshot's day", async () => {
    // given a snapshot to the evening of the third day of good news in a row
    await snapshotTo('clk-streak', { toTime: '2025-06-03T12:00:00Z' });

    // when a viewer reads the ward's cadence from it
    const res = await get('/units/clk-old-ward/cadence?snapshot=clk-streak', viewer);

    // then the streak of three days is current then, as it was, not broken by today's date
    expect(res.status).toBe(200);
    expect(res.body.channels).toEqual([
      expect.objectContaining({ channel: 'facebook', currentDailyStreak: 3 }),
    ]);
  });
});
