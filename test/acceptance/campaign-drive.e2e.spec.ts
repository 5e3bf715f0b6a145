import request from 'supertest';
import type { Actor } from '#platform';
import type { TestApp } from '../platform/test-app.js';
import { driveCampaign, type CampaignDrive } from './campaign-drive.kit.js';
import {
  campaignDays,
  expectedAudit,
  expectedMemberBoard,
  expectedProgress,
  expectedUnitSummary,
  finalShifts,
  type RankedMember,
} from './campaign-model.js';
import { campaign, coordinator, local, memberById, units, volunteer } from './campaign-scenario.js';

const auditor: Actor = { sub: 'aud-acc', role: 'auditor' };
const viewer: Actor = { sub: 'view-acc', role: 'viewer' };
const byRank = (entries: RankedMember[]) =>
  [...entries].sort((x, y) => x.rank - y.rank || x.memberId.localeCompare(y.memberId));

/**
 * Acceptance (issue 4): a whole campaign driven through the HTTP API only, from the unit tree to the
 * verdicts, then every dashboard and audit figure compared with what the test's own model
 * (campaign-model.ts) derives from the facts it sent.
 */
describe('a campaign driven through the HTTP API', () => {
  let drive: CampaignDrive;
  let t: TestApp;
  let driveStartedAt = 0;
  const read = (path: string, actor: Actor = viewer, accept?: string) =>
    drive.read(path, actor, accept);

  // Given the unit tree, members and the campaign; when the whole drive is sent (campaign-drive.kit.ts)
  beforeAll(async () => {
    drive = await driveCampaign('acc_campaign');
    ({ t, startedAt: driveStartedAt } = drive);
  }, 180_000);
  afterAll(() => t?.close());

  it('the model agrees with the figures worked out by hand (so the model itself is checked)', () => {
    const { totals, outOfWindow } = expectedProgress();

    // turns: s01 s04 s05(rejected: no) s06 s07 s08 s09 s11 s13 s15 s16 s17 s18 s20 s03 = 14
    expect(totals).toEqual({
      citizensAssisted: 419,
      volunteerTurns: 14,
      distinctVolunteers: 10,
      hours: 62,
      verifiedHours: 48,
    });
    expect(outOfWindow).toEqual({ assistanceEvents: 6, citizensAssisted: 25, shifts: 4 });
    expect(
      expectedMemberBoard('verifiedHours')
        .map((e) => `${e.rank}:${e.memberId.slice(-2)}=${e.value}`)
        .join(' '),
    ).toBe('1:05=8 1:09=8 3:01=6 3:07=6 5:03=5 5:04=5 7:02=4 7:06=4 9:08=2');
    expect(
      expectedMemberBoard('citizensAssisted')
        .map((e) => `${e.rank}:${e.memberId.slice(-2)}=${e.value}`)
        .join(' '),
    ).toBe('1:01=70 2:07=65 2:09=65 4:06=54 5:02=35 5:08=35 7:03=31 8:04=30 9:05=25 10:10=9');
    expect(expectedProgress().byDay[4]).toEqual({
      date: '2025-08-13',
      citizensAssisted: 0,
      volunteerTurns: 0,
      hours: 0,
    });
    expect(campaignDays).toEqual([
      '2025-08-09',
      '2025-08-10',
      '2025-08-11',
      '2025-08-12',
      '2025-08-13',
      '2025-08-14',
      '2025-08-15',
    ]);
  });

  it('shows campaign progress: totals, every day (zeros included), services, out-of-window and goals', async () => {
    const expected = expectedProgress();

    const { body } = await read(`/campaigns/${campaign.id}/progress`);

    expect(body).toMatchObject({
      campaignId: campaign.id,
      name: campaign.name,
      timezone: campaign.timezone,
      startDate: campaign.startDate,
      endDate: campaign.endDate,
      dailyWindow: campaign.dailyWindow,
    });
    for (const key of ['citizensAssisted', 'volunteerTurns', 'distinctVolunteers'] as const)
      expect([key, body.totals[key]]).toEqual([key, expected.totals[key]]);
    expect(body.totals.hours).toBeCloseTo(expected.totals.hours, 2);
    expect(body.totals.verifiedHours).toBeCloseTo(expected.totals.verifiedHours, 2);
    expect(body.byDay.map((d: { date: string }) => d.date)).toEqual(campaignDays);
    expected.byDay.forEach((day, i) => {
      expect({
        date: body.byDay[i].date,
        citizensAssisted: body.byDay[i].citizensAssisted,
        volunteerTurns: body.byDay[i].volunteerTurns,
      }).toEqual({
        date: day.date,
        citizensAssisted: day.citizensAssisted,
        volunteerTurns: day.volunteerTurns,
      });
      expect([day.date, body.byDay[i].hours]).toEqual([day.date, expect.closeTo(day.hours, 2)]);
    });
    expect(body.byServiceType).toEqual(expected.byServiceType);
    expect(body.outOfWindow).toEqual(expected.outOfWindow);
    for (const [key, goal] of Object.entries(expected.goals)) {
      expect([key, body.goals[key].target]).toEqual([key, goal.target]);
      expect([key, body.goals[key].reached]).toEqual([key, expect.closeTo(goal.reached, 2)]);
      expect([key, body.goals[key].percent]).toEqual([key, expect.closeTo(goal.percent, 1)]);
    }
    expect(Number(body.position)).toBeGreaterThanOrEqual(drive.position());
  });

  it.each(['verifiedHours', 'citizensAssisted'] as const)(
    'ranks members of the campaign by %s, ties sharing a rank',
    async (metric) => {
      const expected = expectedMemberBoard(metric);

      const { body } = await read(
        `/leaderboards/members?metric=${metric}&campaignId=${campaign.id}&limit=50`,
      );

      expect(body.metric).toBe(metric);
      const ranked = body.entries.filter((e: RankedMember) => e.value > 0);
      expect(byRank(ranked)).toEqual(expected);
      for (const rest of body.entries.filter((e: RankedMember) => !(e.value > 0)))
        expect(rest.value).toBe(0);
      // The ties are built on purpose: two pairs share a rank on each board.
      expect(new Set(expected.map((e) => e.rank)).size).toBeLessThan(expected.length);
    },
  );

  it("restricts the member leaderboard to a unit's subtree (the ward and its branch)", async () => {
    const expected = expectedMemberBoard('verifiedHours', units.ward1.id);

    const { body } = await read(
      `/leaderboards/members?metric=verifiedHours&campaignId=${campaign.id}&unitId=${units.ward1.id}`,
    );

    expect(byRank(body.entries.filter((e: RankedMember) => e.value > 0))).toEqual(expected);
    expect(expected.map((e) => e.memberId)).toContain('acc-m04');
  });

  it('ranks the wards of the district by citizens assisted over their whole subtree, and rolls units up', async () => {
    const w1 = expectedUnitSummary(units.ward1.id, { clubs: 1, posts: 0 });
    const w2 = expectedUnitSummary(units.ward2.id, { clubs: 0, posts: 1 });
    const district = expectedUnitSummary(units.district.id, { clubs: 1, posts: 1 });
    const wards = [
      { unitId: units.ward1.id, name: units.ward1.name, value: w1.citizensAssisted },
      { unitId: units.ward2.id, name: units.ward2.name, value: w2.citizensAssisted },
    ]
      .sort((x, y) => y.value - x.value)
      .map((e, i) => ({ rank: i + 1, ...e }));

    const board = await read(
      `/leaderboards/units?metric=citizensAssisted&parentId=${units.district.id}`,
    );
    const summaries = await Promise.all(
      [units.district, units.ward1, units.ward2].map((u) => read(`/units/${u.id}/summary`)),
    );

    expect(board.body.entries).toEqual(wards);
    [district, w1, w2].forEach((expected, i) => {
      const { verifiedHours, ...counts } = expected;
      const unit = [units.district, units.ward1, units.ward2][i];
      expect(summaries[i].body).toMatchObject({ unitId: unit.id, name: unit.name, ...counts });
      expect([unit.id, summaries[i].body.verifiedHours]).toEqual([
        unit.id,
        expect.closeTo(verifiedHours, 2),
      ]);
    });
  });

  it("gives the auditor a member's hours by status, each shift's story and the correction's before and after", async () => {
    const memberId = 'acc-m02';
    const expected = expectedAudit(memberId);

    const { body } = await read(`/audit/members/${memberId}/hours`, auditor);

    expect(body).toMatchObject({ memberId, displayName: memberById(memberId).displayName });
    expect(body.verifiedHours).toBeCloseTo(expected.verifiedHours, 2);
    expect(body.pendingHours).toBeCloseTo(expected.pendingHours, 2);
    expect(body.rejectedHours).toBeCloseTo(expected.rejectedHours, 2);
    expect(
      body.shifts.map((s: { shiftId: string; status: string }) => [s.shiftId, s.status]),
    ).toEqual(expected.shifts.map((s) => [s.id, s.status]));
    expected.shifts.forEach((s, i) => {
      const got = body.shifts[i];
      expect(got).toMatchObject({ campaignId: campaign.id, recordedBy: s.recordedBy.sub });
      expect(Date.parse(got.startedAt)).toBe(Date.parse(s.start));
      expect(got.endedAt === null ? null : Date.parse(got.endedAt)).toBe(
        s.end === null ? null : Date.parse(s.end),
      );
      if (s.end)
        expect(got.hours).toBeCloseTo((Date.parse(s.end) - Date.parse(s.start)) / 3_600_000, 2);
      else expect(got.hours).toBeNull();
      expect(Date.parse(got.recordedAt)).toBeGreaterThanOrEqual(driveStartedAt - 1000);
      expect(Date.parse(got.recordedAt)).toBeLessThanOrEqual(Date.now());
      if (s.status === 'verified') expect(got.verifiedBy).toBe(s.verdict!.by.sub);
      expect(got.corrections).toHaveLength(s.correction ? 1 : 0);
    });
    const corrected = finalShifts.find((s) => s.id === 'acc-s04')!;
    const correction = body.shifts.find((s: { shiftId: string }) => s.shiftId === 'acc-s04')
      .corrections[0];
    expect(correction).toMatchObject({ reason: corrected.correction!.reason, by: memberId });
    expect([correction.before.startedAt, correction.before.endedAt].map(Date.parse)).toEqual(
      [corrected.startedAt, corrected.endedAt!].map(Date.parse),
    );
    expect([correction.after.startedAt, correction.after.endedAt].map(Date.parse)).toEqual(
      [corrected.correction!.startedAt, corrected.correction!.endedAt].map(Date.parse),
    );
  });

  it('limits audit hours to the shifts started in a period given as dates (to inclusive)', async () => {
    const expected = expectedAudit('acc-m02', {
      from: local('2025-08-10 00:00'),
      toExclusive: local('2025-08-12 00:00'),
    });

    const { body } = await read(
      '/audit/members/acc-m02/hours?from=2025-08-10&to=2025-08-11',
      auditor,
    );

    expect(body.shifts.map((s: { shiftId: string }) => s.shiftId)).toEqual(
      expected.shifts.map((s) => s.id),
    );
    expect([body.verifiedHours, body.pendingHours, body.rejectedHours]).toEqual(
      [expected.verifiedHours, expected.pendingHours, expected.rejectedHours].map((h) =>
        expect.closeTo(h, 2),
      ),
    );
  });

  it('gives the same hours as CSV, one line per shift', async () => {
    const expected = expectedAudit('acc-m02');

    const res = await read('/audit/members/acc-m02/hours', auditor, 'text/csv');

    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const [header, ...lines] = res.text
      .trim()
      .split(/\r?\n/)
      .map((line) => line.split(','));
    const column = (row: string[], name: string) => row[header.indexOf(name)];
    expect(lines.map((row) => [column(row, 'shiftId'), column(row, 'status')])).toEqual(
      expected.shifts.map((s) => [s.id, s.status]),
    );
    lines.forEach((row, i) => {
      const s = expected.shifts[i];
      const hours = s.end ? (Date.parse(s.end) - Date.parse(s.start)) / 3_600_000 : null;
      if (hours === null) expect(column(row, 'hours')).toBe('');
      else expect(Number(column(row, 'hours'))).toBeCloseTo(hours, 2);
    });
    expect(res.text).toContain(expected.shifts.find((s) => s.correction)!.correction!.reason);
  });

  it("proves the corrected shift's stream unaltered: its events and a valid hash chain", async () => {
    const stream = await read('/audit/streams/shift-acc-s04', auditor);
    const verify = await read('/audit/streams/shift-acc-s04/verify', auditor);

    const types = stream.body.events.map((e: { type: string }) => e.type);
    expect(types).toEqual([
      'ShiftStarted',
      'CitizenAssisted',
      'ShiftEnded',
      'ShiftVerified',
      'ShiftCorrected',
    ]);
    expect(verify.body).toEqual({
      streamId: 'shift-acc-s04',
      valid: true,
      events: 5,
      headHash: stream.body.events[4].hash,
    });
    expect(
      (
        await request(t.server)
          .get('/audit/streams/shift-acc-s04')
          .set('Authorization', await t.bearer(viewer))
      ).status,
    ).toBe(403);
  });

  it('keeps the open shift open and the volunteer out of verifying their own shift', async () => {
    const own = await request(t.server)
      .post('/shifts/acc-s16/verify')
      .set('Authorization', await t.bearer(volunteer('acc-m08')))
      .send({});
    const open = (await read('/audit/members/acc-m02/hours', auditor)).body.shifts.find(
      (s: { shiftId: string }) => s.shiftId === 'acc-s06',
    );

    expect(own.status).toBe(403);
    expect(open).toMatchObject({ status: 'open', endedAt: null, hours: null });
    expect(coordinator.unitId).toBe(units.ward1.id);
  });

  // Last, so that the figures above do not depend on it. DESIGN.md "Rules" refuses a shift that would
  // start or end inside another of the member's shifts, or while one is still open; a shift typed in
  // late, before a later shift of the same member and overlapping none, is none of these.
  it("accepts a member's earlier shift typed in after a later one, when they do not overlap", async () => {
    const m07 = volunteer('acc-m07');

    const started = await request(t.server)
      .post('/shifts')
      .set('Authorization', await t.bearer(m07))
      .send({
        id: 'acc-s90',
        memberId: 'acc-m07',
        location: 'Nhà văn hóa khu phố 3',
        startedAt: local('2025-08-05 08:00'),
      });
    const ended = await request(t.server)
      .post('/shifts/acc-s90/end')
      .set('Authorization', await t.bearer(m07))
      .send({ endedAt: local('2025-08-05 10:00') });

    expect([started.status, started.body.detail]).toEqual([201, undefined]);
    expect(ended.status).toBe(201);
  });
});
