import {
  auditHoursCsv,
  auditMemberHours,
  flagOverdue,
  liveReadModel,
  ProjectionNotReady,
  READS,
} from '#projections';
import { projectionFixture, type Fixture } from './support/projection-fixture.js';
import { scenario } from './support/scenario.js';

describe('audit trail', () => {
  let f: Fixture;
  let given: ReturnType<typeof scenario>;
  const hours = async (q: { from?: string; to?: string } = {}) => {
    await f.settle();
    const stored = await auditMemberHours(f.pool, await f.schema(READS.auditTrail), {
      memberId: 'm1',
      ...q,
    });
    return flagOverdue(stored!, { now: new Date('2025-08-20T00:00:00Z') });
  };

  beforeAll(async () => {
    f = await projectionFixture('proj_audit');
    given = scenario(f);
    await given.unit('w1');
    await given.member('m1', 'w1', 'Nguyễn Văn An');
    await given.campaign('c1', 'w1');
    // typed in two days late by the coordinator, then corrected and verified
    await given.start('s1', 'm1', '2025-08-09T08:00:00+07:00', 'c1', '2025-08-11T09:00:00+07:00');
    await given.end('s1', '2025-08-09T14:00:00+07:00', '2025-08-11T09:01:00+07:00');
    await given.correct('s1', { endedAt: '2025-08-09T12:30:00+07:00' }, 'left at 12:30, not 14:00');
    await given.verify('s1', 'coordinator-7');
    await given.start('s2', 'm1', '2025-08-10T08:00:00+07:00');
    await given.end('s2', '2025-08-10T10:00:00+07:00');
    await given.reject('s2', 'not on the roster');
    await given.start('s3', 'm1', '2025-08-12T08:00:00+07:00');
    await given.start('s4', 'm1', '2025-08-19T20:00:00+07:00');
    await given.end('s4', '2025-08-19T21:00:00+07:00');
  });
  afterAll(() => f.close());

  it('lists every shift with who recorded it and when, its corrections with before and after, and who verified it', async () => {
    const report = await hours();

    expect(report).toMatchObject({
      memberId: 'm1',
      displayName: 'Nguyễn Văn An',
      verifiedHours: 4.5,
      pendingHours: 1,
      rejectedHours: 2,
    });
    expect(report.shifts.map((s) => [s.shiftId, s.status, s.hours, s.overdue])).toEqual([
      ['s1', 'verified', 4.5, false],
      ['s2', 'rejected', 2, false],
      ['s3', 'open', null, true],
      ['s4', 'pending', 1, false],
    ]);
    expect(report.shifts[0]).toMatchObject({
      startedAt: '2025-08-09T01:00:00.000Z',
      endedAt: '2025-08-09T05:30:00.000Z',
      recordedBy: 'coordinator-1',
      recordedAt: '2025-08-11T02:00:00.000Z',
      verifiedBy: 'coordinator-7',
      corrections: [
        {
          reason: 'left at 12:30, not 14:00',
          by: 'coordinator-1',
          before: { startedAt: '2025-08-09T01:00:00.000Z', endedAt: '2025-08-09T07:00:00.000Z' },
          after: { startedAt: '2025-08-09T01:00:00.000Z', endedAt: '2025-08-09T05:30:00.000Z' },
        },
      ],
    });
  });

  it('keeps the stream position and hash of every event behind a shift', async () => {
    const report = await hours();
    const stream = await f.store.readStream('shift-s1');

    expect(report.shifts[0]!.events).toEqual(
      stream.map((e) =>
        expect.objectContaining({
          type: e.type,
          version: e.streamVersion.toString(),
          position: e.globalPosition.toString(),
          hash: e.hash,
        }),
      ),
    );
  });

  it('filters by the instant a shift started, and renders CSV', async () => {
    const report = await hours({
      from: '2025-08-09T17:00:00.000Z',
      to: '2025-08-12T17:00:00.000Z',
    });
    const csv = auditHoursCsv(report).trim().split('\r\n');

    expect(report.shifts.map((s) => s.shiftId)).toEqual(['s2', 's3']);
    expect(csv).toHaveLength(3);
    expect(csv[0]).toBe(
      'memberId,displayName,shiftId,campaignId,startedAt,endedAt,hours,status,recordedBy,recordedAt,verifiedBy,corrections',
    );
    expect(csv[1]).toContain('s2,c1,2025-08-10T01:00:00.000Z,2025-08-10T03:00:00.000Z,2,rejected');
  });

  it('makes a reader asking for a position not yet projected wait, then fail', async () => {
    await f.settle();
    const position = await given.start('s9', 'm1', '2025-08-25T08:00:00+07:00');

    await expect(liveReadModel(f.pool, READS.auditTrail, position, 300)).rejects.toBeInstanceOf(
      ProjectionNotReady,
    );
    const waiting = liveReadModel(f.pool, READS.auditTrail, position, 5_000);
    await f.settle();
    await expect(waiting).resolves.toMatchObject({ position: expect.any(BigInt) });
    expect((await waiting).position).toBeGreaterThanOrEqual(position);
  });
});
