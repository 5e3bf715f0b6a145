import { addDays, storedLocalDate } from '#domain';
import type { CampaignProgress } from '#projections';
import { rows, type Sql } from '../../../libs/projections/src/runner/projection.js';
import {
  clippedShiftDays,
  inWindow,
  inWindowAt,
  localDate,
  localTimeOf,
  round2,
} from '../../../libs/projections/src/read-models/volunteer-activity/campaign-time.sql.js';

type CampaignRow = {
  campaign_id: string;
  unit_id: string;
  name: string;
  timezone: string;
  start_date: string;
  end_date: string;
  window_from: string;
  window_to: string;
  goals: Record<string, number>;
  closed: boolean;
};

/**
 * The reference: campaign progress aggregated from the volunteer-activity facts at read time, as the
 * query did before the counters (issue 10). Tests compare the counters' answers with it.
 * Campaign progress over the volunteer-activity facts (API.md "Queries"). Only what happened inside the
 * window counts; the rest is reported as out-of-window. A rejected shift counts for nothing (no turn,
 * no hours, no assistance); hours are clipped to the daily window, verifiedHours only from verified shifts.
 */
export async function campaignProgressFromFacts(
  sql: Sql,
  schema: string,
  campaignId: string,
): Promise<CampaignProgress | null> {
  const c = `(SELECT * FROM ${schema}.campaigns WHERE campaign_id = $1) c`;
  const [campaign] = await rows<CampaignRow>(
    sql,
    `SELECT campaign_id, unit_id, name, timezone, start_date::text, end_date::text, to_char(window_from, 'HH24:MI') AS window_from,
       CASE WHEN window_to = '24:00' THEN '24:00' ELSE to_char(window_to, 'HH24:MI') END AS window_to, goals, closed
     FROM ${schema}.campaigns WHERE campaign_id = $1`,
    [campaignId],
  );
  if (!campaign) return null;
  const assistance = await rows<{
    inside: boolean;
    date: string;
    service_type: string;
    events: string;
    citizens: string;
  }>(
    sql,
    `SELECT ${inWindowAt('a.occurred_at', 'l.at')} AS inside, l.at::date::text AS date, a.service_type,
       count(*) AS events, sum(a.citizens) AS citizens
     FROM ${c} JOIN ${schema}.assistance a ON a.campaign_id = c.campaign_id
     JOIN ${schema}.shifts s ON s.shift_id = a.shift_id AND s.campaign_id = c.campaign_id AND s.status <> 'rejected'
     ${localTimeOf('a.occurred_at', 'l')}
     GROUP BY 1, 2, 3`,
    [campaignId],
  );
  const turns = await rows<{ inside: boolean; date: string; turns: string }>(
    sql,
    `SELECT ${inWindow('s.started_at')} AS inside, ${localDate('s.started_at')}::text AS date, count(*) AS turns
     FROM ${c} JOIN ${schema}.shifts s ON s.campaign_id = c.campaign_id AND s.status <> 'rejected' AND s.started_at IS NOT NULL
     GROUP BY 1, 2`,
    [campaignId],
  );
  const [{ volunteers }] = await rows<{ volunteers: string }>(
    sql,
    `SELECT count(DISTINCT s.member_id) AS volunteers FROM ${c} JOIN ${schema}.shifts s
       ON s.campaign_id = c.campaign_id AND s.status <> 'rejected' AND s.started_at IS NOT NULL AND ${inWindow('s.started_at')}`,
    [campaignId],
  );
  const hours = await rows<{ date: string; hours: string; verified: string }>(
    sql,
    `SELECT h.date::text, sum(h.hours) AS hours, COALESCE(sum(h.hours) FILTER (WHERE h.status = 'verified'), 0) AS verified
     FROM ${c} CROSS JOIN LATERAL (${clippedShiftDays(schema)}) h GROUP BY 1`,
    [campaignId],
  );
  return assemble(campaign, assistance, turns, Number(volunteers), hours);
}

function assemble(
  campaign: CampaignRow,
  assistance: {
    inside: boolean;
    date: string;
    service_type: string;
    events: string;
    citizens: string;
  }[],
  turns: { inside: boolean; date: string; turns: string }[],
  distinctVolunteers: number,
  hours: { date: string; hours: string; verified: string }[],
): CampaignProgress {
  const byDay = new Map<
    string,
    { date: string; citizensAssisted: number; volunteerTurns: number; hours: number }
  >();
  // Bounded by construction: the dates are clamped to the years the domain accepts (a row written
  // before the gate knew its range may say 9999-12-31, and the day after that is no date), and the
  // loop counts its days besides.
  const first = storedLocalDate(campaign.start_date);
  const last = storedLocalDate(campaign.end_date, first);
  for (let day = first, n = 0; day <= last && n < maxDays; day = addDays(day, 1), n++) {
    byDay.set(day, { date: day, citizensAssisted: 0, volunteerTurns: 0, hours: 0 });
  }
  const byServiceType: Record<string, number> = {};
  const outOfWindow = { assistanceEvents: 0, citizensAssisted: 0, shifts: 0 };
  const totals = {
    citizensAssisted: 0,
    volunteerTurns: 0,
    distinctVolunteers,
    hours: 0,
    verifiedHours: 0,
  };
  for (const row of assistance) {
    if (!row.inside) {
      outOfWindow.assistanceEvents += Number(row.events);
      outOfWindow.citizensAssisted += Number(row.citizens);
      continue;
    }
    const day = byDay.get(row.date);
    if (day) day.citizensAssisted += Number(row.citizens);
    byServiceType[row.service_type] = (byServiceType[row.service_type] ?? 0) + Number(row.citizens);
    totals.citizensAssisted += Number(row.citizens);
  }
  for (const row of turns) {
    if (!row.inside) outOfWindow.shifts += Number(row.turns);
    else {
      const day = byDay.get(row.date);
      if (day) day.volunteerTurns += Number(row.turns);
      totals.volunteerTurns += Number(row.turns);
    }
  }
  for (const row of hours) {
    const day = byDay.get(row.date);
    if (day) day.hours = round2(row.hours);
    totals.hours += Number(row.hours);
    totals.verifiedHours += Number(row.verified);
  }
  totals.hours = round2(totals.hours);
  totals.verifiedHours = round2(totals.verifiedHours);
  const goals: CampaignProgress['goals'] = {};
  for (const [key, target] of Object.entries(campaign.goals ?? {})) {
    if (typeof target !== 'number') continue;
    const reached = totals[key as keyof typeof totals] ?? 0;
    goals[key] = {
      target,
      reached,
      percent: target > 0 ? Math.round((reached / target) * 1000) / 10 : 100,
    };
  }
  return {
    campaignId: campaign.campaign_id,
    unitId: campaign.unit_id,
    name: campaign.name,
    timezone: campaign.timezone,
    startDate: campaign.start_date,
    endDate: campaign.end_date,
    dailyWindow: { from: campaign.window_from, to: campaign.window_to },
    closed: campaign.closed,
    totals,
    goals,
    byDay: [...byDay.values()],
    byServiceType,
    outOfWindow,
  };
}

/** Every day of the years 2000–2099: no campaign the domain accepts has more. */
const maxDays = 36_525;
