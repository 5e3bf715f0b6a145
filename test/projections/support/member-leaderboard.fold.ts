import { DateTime } from 'luxon';
import type pg from 'pg';

// An independent reference for the member leaderboards: a plain fold of the stored events in log
// order, with the rules of ../shared/API.md written out again (no SQL, no projection code): a shift's
// status from its events, a campaign's window and dates in its own zone (luxon), periods as instants.

type Campaign = { zone: string; start: string; end: string; from: string; to: string };
type Shift = {
  member: string;
  campaign: string | null;
  start: number | null;
  end: number | null;
  status: 'open' | 'pending' | 'verified' | 'rejected';
};
export type Facts = {
  paths: Map<string, string[]>;
  members: Map<string, { unit: string; erased: boolean }>;
  campaigns: Map<string, Campaign>;
  shifts: Map<string, Shift>;
  assistance: { shift: string; at: number; citizens: number }[];
  types: Map<string, number>;
};

const ms = (iso: unknown) => (typeof iso === 'string' ? Date.parse(iso) : null);

export async function foldStoredEvents(pool: pg.Pool): Promise<Facts> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- payloads as stored, read loosely
  const { rows } = await pool.query<{ type: string; data: Record<string, any> }>(
    `SELECT type, data FROM events ORDER BY global_position`,
  );
  const f: Facts = {
    paths: new Map(),
    members: new Map(),
    campaigns: new Map(),
    shifts: new Map(),
    assistance: [],
    types: new Map(),
  };
  for (const { type, data: d } of rows) {
    f.types.set(type, (f.types.get(type) ?? 0) + 1);
    const shift = f.shifts.get(d.shiftId);
    if (type === 'UnitRegistered')
      f.paths.set(d.unitId, [...(d.parentId ? (f.paths.get(d.parentId) ?? []) : []), d.unitId]);
    else if (type === 'MemberEnrolled')
      f.members.set(d.memberId, { unit: d.unitId, erased: false });
    else if (type === 'MemberDataErased') f.members.get(d.memberId)!.erased = true;
    else if (type === 'CampaignLaunched')
      f.campaigns.set(d.campaignId, {
        zone: d.timezone,
        start: d.startDate,
        end: d.endDate,
        from: d.dailyWindow.from,
        to: d.dailyWindow.to,
      });
    else if (type === 'CampaignExtended') f.campaigns.get(d.campaignId)!.end = d.endDate;
    else if (type === 'ShiftStarted')
      f.shifts.set(d.shiftId, {
        member: d.memberId,
        campaign: d.campaignId ?? null,
        start: ms(d.startedAt),
        end: null,
        status: 'open',
      });
    else if (type === 'ShiftEnded')
      Object.assign(shift!, { end: ms(d.endedAt), status: 'pending' });
    else if (type === 'ShiftCorrected') {
      shift!.start = ms(d.startedAt) ?? shift!.start;
      shift!.end = ms(d.endedAt) ?? shift!.end;
      shift!.status = shift!.end === null ? 'open' : 'pending';
    } else if (type === 'ShiftVerified') shift!.status = 'verified';
    else if (type === 'ShiftRejected') shift!.status = 'rejected';
    else if (type === 'CitizenAssisted')
      f.assistance.push({ shift: d.shiftId, at: ms(d.occurredAt)!, citizens: d.citizens });
  }
  return f;
}

const clock = (hhmm: string) =>
  Number(hhmm.slice(0, 2)) * 3_600_000 + Number(hhmm.slice(3, 5)) * 60_000;

function inWindow(c: Campaign, at: number): boolean {
  const local = DateTime.fromMillis(at, { zone: c.zone });
  const time = local.toMillis() - local.startOf('day').toMillis();
  const date = local.toISODate()!;
  return date >= c.start && date <= c.end && time >= clock(c.from) && time < clock(c.to);
}

/** The shift's hours inside the daily window of each campaign day it touches. */
function clippedMs(c: Campaign, start: number, end: number): number {
  let total = 0;
  let day = DateTime.fromMillis(start, { zone: c.zone }).startOf('day');
  const last = DateTime.fromMillis(end, { zone: c.zone }).toISODate()!;
  for (; day.toISODate()! <= last; day = day.plus({ days: 1 })) {
    const date = day.toISODate()!;
    if (date < c.start || date > c.end) continue;
    const open = day.plus({ milliseconds: clock(c.from) }).toMillis();
    const close =
      c.to === '24:00'
        ? day.plus({ days: 1 }).toMillis()
        : day.plus({ milliseconds: clock(c.to) }).toMillis();
    total += Math.max(0, Math.min(end, close) - Math.max(start, open));
  }
  return total;
}

export type FoldQuery = {
  metric: 'citizensAssisted' | 'verifiedHours';
  campaignId?: string;
  unitId?: string;
  /** Resolved instants (period.ts): [from, to). */
  from?: string;
  to?: string;
};

/** Hours (whole milliseconds / 3.6e6) or citizens, to hundredths half up on the exact value. */
const hundredthsHalfUp = (value: number) =>
  Math.floor((Math.round(value * 3_600_000) * 100 + 1_800_000) / 3_600_000) / 100;

/** The board as API.md says it: values > 0, rounded to 2 decimals, ranks with ties, then member id. */
export function boardFromFold(f: Facts, q: FoldQuery) {
  const from = q.from ? Date.parse(q.from) : -Infinity;
  const to = q.to ? Date.parse(q.to) : Infinity;
  const inPeriod = (at: number | null) => at !== null && at >= from && at < to;
  const campaign = q.campaignId ? f.campaigns.get(q.campaignId) : undefined;
  const values = new Map<string, number>();
  const add = (member: string, value: number) =>
    values.set(member, (values.get(member) ?? 0) + value);
  if (q.metric === 'citizensAssisted') {
    for (const a of f.assistance) {
      const shift = f.shifts.get(a.shift)!;
      if (shift.status === 'rejected' || !inPeriod(a.at)) continue;
      if (
        q.campaignId &&
        (shift.campaign !== q.campaignId || !campaign || !inWindow(campaign, a.at))
      )
        continue;
      add(shift.member, a.citizens);
    }
  } else {
    for (const shift of f.shifts.values()) {
      if (shift.status !== 'verified' || shift.start === null || shift.end === null) continue;
      if (!inPeriod(shift.start)) continue;
      if (!q.campaignId) add(shift.member, (shift.end - shift.start) / 3_600_000);
      else if (shift.campaign === q.campaignId && campaign)
        add(shift.member, clippedMs(campaign, shift.start, shift.end) / 3_600_000);
    }
  }
  const entries = [...values]
    .filter(([memberId, value]) => value > 0 && f.members.has(memberId))
    .map(([memberId, value]) => ({ memberId, value: hundredthsHalfUp(value) }))
    .filter((e) => !q.unitId || f.paths.get(f.members.get(e.memberId)!.unit)?.includes(q.unitId))
    .sort((a, b) => b.value - a.value || (a.memberId < b.memberId ? -1 : 1));
  return entries.map((e) => ({
    rank: entries.findIndex((x) => x.value === e.value) + 1,
    memberId: e.memberId,
    unitId: f.members.get(e.memberId)!.unit,
    erased: f.members.get(e.memberId)!.erased,
    value: e.value,
  }));
}
