import request from 'supertest';
import { run as exportCommand } from '../../apps/cli/src/commands/export.command.js';
import { hoursAgo, startCommandsKit, type CommandsKit } from '../commands/commands-kit.js';
import { runCliInProcess } from '../harness/cli-in-process.js';

/**
 * An auditor reconciles `export audit` with GET /audit/members/:id/hours for the same member and
 * period: the totals are the same figures. Shifts of 20 minutes last 0.333… h each; the export summed
 * the hours it showed, rounded to 0.33 per shift, so three such shifts totalled 0.99 h where the route,
 * the leaderboards and the certificate say 1 h.
 */
describe('export audit totals, beside the audit hours route', () => {
  let kit: CommandsKit;
  let position = 0;

  beforeAll(async () => {
    kit = await startCommandsKit('audit_export_totals', { worker: true });
    const record = async (path: string, body: object) => {
      position = (await kit.record(path, body)).position;
    };
    // given a member with three verified shifts of 20 minutes and one pending shift of 20 minutes
    await record('/units', { id: 'tot-ward', name: 'Đoàn phường 7', kind: 'ward' });
    await record('/members', { id: 'tot-m', unitId: 'tot-ward', displayName: 'Võ Thị Ba' });
    for (const [i, verified] of [
      [1, true],
      [2, true],
      [3, true],
      [4, false],
    ] as const) {
      const startedAt = hoursAgo(10 - i);
      const endedAt = new Date(Date.parse(startedAt) + 20 * 60_000).toISOString();
      await record('/shifts', { id: `tot-s${i}`, memberId: 'tot-m', location: 'UBND', startedAt });
      await record(`/shifts/tot-s${i}/end`, { endedAt });
      if (verified) await record(`/shifts/tot-s${i}/verify`, {});
    }
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('totals the hours the audit route totals, in JSON and in the CSV totals row', async () => {
    const route = await request(kit.server)
      .get(`/audit/members/tot-m/hours?minPosition=${position}`)
      .set('Authorization', await kit.bearer({ sub: 'aud', role: 'auditor' }));
    expect(route.status).toBe(200);
    expect(route.body.verifiedHours).toBe(1);
    expect(route.body.pendingHours).toBe(0.33);

    // when the member's trail is exported as JSON and as CSV
    const env = { DATABASE_URL: kit.databaseUrl };
    const json = await runCliInProcess(
      exportCommand,
      ['audit', '--member', 'tot-m', '--format', 'json'],
      env,
    );
    const csv = await runCliInProcess(exportCommand, ['audit', '--member', 'tot-m'], env);
    expect([json.code, csv.code]).toEqual([0, 0]);

    // then the JSON totals are the route's figures, and each shift still shows its hours rounded
    const exported = JSON.parse(json.out) as {
      shifts: { hours: number }[];
      totals: { shifts: number; verifiedHours: number; pendingHours: number };
    };
    expect(exported.totals).toMatchObject({
      shifts: route.body.shifts.length,
      verifiedHours: route.body.verifiedHours,
      pendingHours: route.body.pendingHours,
    });
    expect(exported.shifts.map((s) => s.hours)).toEqual([0.33, 0.33, 0.33, 0.33]);
    // and so does the CSV's totals row (verified + pending hours, then the breakdown)
    const total = csv.out.trimEnd().split('\r\n').at(-1)!.split(',');
    expect(total[0]).toBe('total');
    expect(Number(total[9])).toBe(1.33);
    expect(total[11]).toBe('verified 1 h; pending 0.33 h; rejected 0 h');
  });
});
