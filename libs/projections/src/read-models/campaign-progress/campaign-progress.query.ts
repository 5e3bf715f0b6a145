import { addDays, storedLocalDate } from '#domain';
import { rows, type Sql } from '../../runner/projection.js';
import { round2 } from '../volunteer-activity/campaign-time.sql.js';

export type CampaignProgress = {
  campaignId: string;
  /** The unit that launched it (beyond API.md): whose figures the dashboard shows beside it. */
  unitId: string;
  name: string;
  timezone: string;
  startDate: string;
  endDate: string;
  dailyWindow: { from: string; to: string };
  closed: boolean;
  totals: {
    citizensAssisted: number;
    volunteerTurns: number;
    distinctVolunteers: number;
    hours: number;
    verifiedHours: number;
  };
  goals: Record<string, { target: number; reached: number; percent: number }>;
  byDay: { date: string; citizensAssisted: number; volunteerTurns: number; hours: number }[];
  byServiceType: Record<string, number>;
  outOfWindow: { assistanceEvents: number; citizensAssisted: number; shifts: number };
};

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
  volunteers: string;
};

type DayRow = {
  day: string;
  service_type: string;
  inside: boolean;
  events: string;
  citizens: string;
  turns: string;
  micros: string;
  verified_micros: string;
};

/** Microseconds to hours (whole microseconds: the division is the only rounding). */
const hoursOf = (micros: number) => micros / 3_600_000_000;

/**
 * Campaign progress (API.md "Queries") read from the rows its projection keeps
 * (campaign-progress.projection.ts): the campaign's own row, then one row per local day × service
 * type × inside the window, so an answer costs the campaign's days, not its history. Inside means the campaign's dates and its daily
 * window; everything else is reported as out-of-window. A rejected shift counts for nothing; hours are
 * clipped to the daily window, verifiedHours only from verified shifts.
 */
export async function campaignProgress(
  sql: Sql,
  schema: string,
  campaignId: string,
): Promise<CampaignProgress | null> {
  const [campaign] = await rows<CampaignRow>(
    sql,
    `SELECT campaign_id, (SELECT unit_id FROM ${schema}.campaigns WHERE campaign_id = $1) AS unit_id,
       name, timezone, start_date::text, end_date::text, window_from, window_to, goals, closed, volunteers
     FROM ${schema}.progress_campaigns WHERE campaign_id = $1`,
    [campaignId],
  );
  if (!campaign) return null;
  const days = await rows<DayRow>(
    sql,
    `SELECT day::text, service_type, inside, events, citizens, turns, micros, verified_micros
     FROM ${schema}.progress_days WHERE campaign_id = $1
     -- the services' keys in name order: the heap's order is the order rows were last written in,
     -- which differs between a slot kept live and one rebuilt
     ORDER BY service_type`,
    [campaignId],
  );
  return assemble(campaign, days);
}

function assemble(campaign: CampaignRow, days: DayRow[]): CampaignProgress {
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
    distinctVolunteers: Number(campaign.volunteers),
    hours: 0,
    verifiedHours: 0,
  };
  const dayMicros = new Map<string, number>();
  let micros = 0;
  let verifiedMicros = 0;
  for (const row of days) {
    const citizens = Number(row.citizens);
    if (!row.inside) {
      outOfWindow.assistanceEvents += Number(row.events);
      outOfWindow.citizensAssisted += citizens;
      outOfWindow.shifts += Number(row.turns);
      continue;
    }
    const day = byDay.get(row.day);
    if (day) {
      day.citizensAssisted += citizens;
      day.volunteerTurns += Number(row.turns);
    }
    if (row.service_type !== '')
      byServiceType[row.service_type] = (byServiceType[row.service_type] ?? 0) + citizens;
    totals.citizensAssisted += citizens;
    totals.volunteerTurns += Number(row.turns);
    dayMicros.set(row.day, (dayMicros.get(row.day) ?? 0) + Number(row.micros));
    micros += Number(row.micros);
    verifiedMicros += Number(row.verified_micros);
  }
  for (const [date, value] of dayMicros) {
    const day = byDay.get(date);
    if (day) day.hours = round2(hoursOf(value));
  }
  totals.hours = round2(hoursOf(micros));
  totals.verifiedHours = round2(hoursOf(verifiedMicros));
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
