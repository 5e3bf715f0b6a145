import { IANAZone } from 'luxon';
import pg from 'pg';
import { addDays, localDateOfMillis, windowOn, type CampaignCalendar } from '#domain';
import {
  windowCloses,
  windowOpens,
} from '../../libs/projections/src/read-models/volunteer-activity/campaign-time.sql.js';
import { createTestDatabase } from '../harness/database.js';

// The window rule is computed twice (campaign-time.sql.ts says why): #domain's `windowOn` and the SQL
// fragments `windowOpens` / `windowCloses`. Here both answer the same questions around every offset
// change of zones that change in unusual ways, and must give the same instants; and an instant's day
// (#domain `localDateOfMillis`, SQL `AT TIME ZONE … ::date`) must be the same, every quarter hour.
const zones: Record<string, number[]> = {
  'Europe/Berlin': [2025], // back at 03:00 CEST, forward at 02:00 CET
  'America/Havana': [2025], // back at 01:00 CDT to 00:00 CST, forward across midnight
  'America/Sao_Paulo': [2018, 2019], // back from 00:00 to 23:00 of the day before
  'Australia/Lord_Howe': [2025], // half an hour
  'Antarctica/Troll': [2025], // two hours
  'Pacific/Apia': [2011], // 30 December 2011 skipped whole
};
// wall times that fall in the repeated or skipped hours of these zones, or near them
const times = [
  ...['00:00', '00:15', '00:30', '01:00', '01:30', '02:00', '02:15', '02:30', '02:45'],
  ...['03:00', '03:30', '22:30', '23:00', '23:15', '23:30', '23:45'],
];
const dayMs = 86_400_000;

/** The dates around each offset change of `zone` in `year`: the day before, of and after. */
function changeDays(zone: string, year: number): string[] {
  const days = new Set<string>();
  for (let day = `${year}-01-01`; day <= `${year}-12-31`; day = addDays(day, 1)) {
    const at = Date.parse(`${day}T00:00:00Z`);
    const offset = (ms: number) => IANAZone.create(zone).offset(ms);
    if (offset(at - dayMs) !== offset(at + 2 * dayMs))
      for (const d of [-1, 0, 1]) days.add(addDays(day, d));
  }
  return [...days].sort();
}

describe('the window rule in JavaScript and in SQL', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: pg.Pool;
  beforeAll(async () => {
    db = await createTestDatabase('dst_twins');
    pool = new pg.Pool({ connectionString: db.url, max: 1 });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('gives the same window bounds and the same days around every offset change', async () => {
    const cases: { zone: string; day: string; from: string; to: string }[] = [];
    for (const [zone, years] of Object.entries(zones))
      for (const year of years)
        for (const day of changeDays(zone, year))
          for (const time of times) {
            cases.push({ zone, day, from: time, to: '24:00' });
            cases.push({ zone, day, from: '00:00', to: time });
          }
    expect(cases.length).toBeGreaterThan(500);
    const js = cases.map(({ zone, day, from, to }) => {
      const calendar: CampaignCalendar = {
        timezone: zone,
        startDate: day,
        endDate: day,
        dailyWindow: { from, to },
      };
      const { start, end } = windowOn(calendar, day);
      return [new Date(start).toISOString(), new Date(end).toISOString()];
    });

    const { rows } = await pool.query<{ opens: string; closes: string }>(
      `SELECT to_char(${windowOpens('q.day')} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS opens,
              to_char(${windowCloses('q.day')} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS closes
       FROM jsonb_to_recordset($1::jsonb) AS q(zone text, day date, "from" time, "to" time, i int)
       CROSS JOIN LATERAL (SELECT q.zone AS timezone, q."from" AS window_from, q."to" AS window_to) c
       ORDER BY q.i`,
      [JSON.stringify(cases.map((c, i) => ({ ...c, i })))],
    );

    const sql = rows.map((r) => [r.opens, r.closes]);
    const differ = cases.filter((_, i) => JSON.stringify(js[i]) !== JSON.stringify(sql[i]));
    expect(differ).toEqual([]);
    expect(sql).toEqual(js);
  });

  it('reads the same local date for an instant, every quarter hour around every change', async () => {
    const instants: { zone: string; at: number }[] = [];
    for (const [zone, years] of Object.entries(zones))
      for (const year of years)
        for (const day of changeDays(zone, year))
          for (
            let at = Date.parse(`${day}T00:00:00Z`);
            at < Date.parse(`${day}T00:00:00Z`) + dayMs;
            at += 900_000
          )
            instants.push({ zone, at });
    const js = instants.map(({ zone, at }) => localDateOfMillis(at, zone));

    const { rows } = await pool.query<{ date: string }>(
      `SELECT (to_timestamp(q.at / 1000.0) AT TIME ZONE q.zone)::date::text AS date
       FROM jsonb_to_recordset($1::jsonb) AS q(zone text, at bigint, i int) ORDER BY q.i`,
      [JSON.stringify(instants.map((x, i) => ({ ...x, i })))],
    );

    expect(rows.map((r) => r.date)).toEqual(js);
  });
});
