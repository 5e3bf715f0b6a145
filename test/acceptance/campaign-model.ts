import { DateTime } from 'luxon';
import {
  campaign,
  members,
  memberById,
  shifts,
  units,
  type ShiftFact,
} from './campaign-scenario.js';

/**
 * An independent model of DESIGN.md "Rules" and API.md "Queries", written for this test only (no
 * projection code imported): the expected figures are derived from the facts the test sends.
 *
 * Interpretations where the spec is silent, stated once here:
 * - a rejected shift counts for nothing (no turn, hours or assistance) in progress, leaderboards and roll-ups;
 * - unit figures (leaderboard, summary) are not campaign-scoped: every non-rejected fact of the subtree,
 *   verified hours unclipped;
 * - leaderboard entries with a value of 0 are not asserted (listing them or not is left open).
 */
const zone = campaign.timezone;
const HOUR = 3_600_000;
const ms = (iso: string) => Date.parse(iso);

export const campaignDays: string[] = Array.from({ length: 7 }, (_, i) =>
  DateTime.fromISO(campaign.startDate, { zone }).plus({ days: i }).toISODate()!,
);

const windowOf = (day: string) => {
  const start = DateTime.fromISO(`${day}T${campaign.dailyWindow.from}`, { zone });
  return {
    day,
    start: start.toMillis(),
    end: DateTime.fromISO(`${day}T${campaign.dailyWindow.to}`, { zone }).toMillis(),
  };
};
const windows = campaignDays.map(windowOf);

/** Half-open [from, to) on a campaign day, read in the campaign's zone. */
export const windowDayOf = (iso: string): string | null =>
  windows.find((w) => ms(iso) >= w.start && ms(iso) < w.end)?.day ?? null;

/** A shift's hours inside each day's window. */
const clippedByDay = (start: string, end: string) =>
  windows.map((w) => ({
    day: w.day,
    hours: Math.max(0, Math.min(ms(end), w.end) - Math.max(ms(start), w.start)) / HOUR,
  }));

export type FinalShift = ShiftFact & {
  status: 'open' | 'pending' | 'verified' | 'rejected';
  start: string;
  end: string | null;
};

/** Where each shift stands once every command was sent. */
export const finalShifts: FinalShift[] = shifts.map((s) => {
  const status = !s.endedAt
    ? 'open'
    : s.correction
      ? 'pending'
      : s.verdict?.kind === 'verify'
        ? 'verified'
        : s.verdict?.kind === 'reject'
          ? 'rejected'
          : 'pending';
  return {
    ...s,
    status,
    start: s.correction?.startedAt ?? s.startedAt,
    end: s.correction?.endedAt ?? s.endedAt ?? null,
  };
});

const counted = finalShifts.filter((s) => s.status !== 'rejected');
const inCampaign = counted.filter((s) => s.inCampaign);
const sum = (values: number[]) => values.reduce((x, y) => x + y, 0);
const campaignHours = (s: FinalShift) =>
  s.end ? sum(clippedByDay(s.start, s.end).map((d) => d.hours)) : 0;
const fullHours = (s: FinalShift) => (s.end ? (ms(s.end) - ms(s.start)) / HOUR : 0);

export function expectedProgress() {
  const turns = inCampaign.filter((s) => windowDayOf(s.start) !== null);
  const assists = inCampaign.flatMap((s) => s.assists);
  const inside = assists.filter((x) => windowDayOf(x.at) !== null);
  const outside = assists.filter((x) => windowDayOf(x.at) === null);
  const totals = {
    citizensAssisted: sum(inside.map((x) => x.citizens)),
    volunteerTurns: turns.length,
    distinctVolunteers: new Set(turns.map((s) => s.memberId)).size,
    hours: sum(inCampaign.map(campaignHours)),
    verifiedHours: sum(inCampaign.filter((s) => s.status === 'verified').map(campaignHours)),
  };
  const byDay = campaignDays.map((date) => ({
    date,
    citizensAssisted: sum(inside.filter((x) => windowDayOf(x.at) === date).map((x) => x.citizens)),
    volunteerTurns: turns.filter((s) => windowDayOf(s.start) === date).length,
    hours: sum(
      inCampaign
        .filter((s) => s.end)
        .map((s) => clippedByDay(s.start, s.end!).find((d) => d.day === date)!.hours),
    ),
  }));
  const byServiceType: Record<string, number> = {};
  for (const x of inside)
    byServiceType[x.serviceType] = (byServiceType[x.serviceType] ?? 0) + x.citizens;
  const goals = Object.fromEntries(
    Object.entries(campaign.goals).map(([key, target]) => {
      const reached = totals[key as keyof typeof totals];
      return [key, { target, reached, percent: (reached / target) * 100 }];
    }),
  );
  const outOfWindow = {
    assistanceEvents: outside.length,
    citizensAssisted: sum(outside.map((x) => x.citizens)),
    shifts: inCampaign.filter((s) => windowDayOf(s.start) === null).length,
  };
  return { totals, byDay, byServiceType, goals, outOfWindow };
}

export type RankedMember = {
  rank: number;
  memberId: string;
  displayName: string;
  unitId: string;
  value: number;
};

/** Competition ranking (1, 2, 2, 4) of the members with a value, ties ordered by member id. */
function rank(values: Map<string, number>): RankedMember[] {
  const rounded = [...values]
    .map(([memberId, v]) => ({ memberId, value: Math.round(v * 100) / 100 }))
    .filter((e) => e.value > 0);
  rounded.sort((x, y) => y.value - x.value || x.memberId.localeCompare(y.memberId));
  return rounded.map((e) => {
    const { displayName, unitId } = memberById(e.memberId);
    return {
      rank: 1 + rounded.filter((o) => o.value > e.value).length,
      memberId: e.memberId,
      displayName,
      unitId,
      value: e.value,
    };
  });
}

const inSubtree = (unitId: string, root: string): boolean => {
  const parentOf = new Map<string, string | undefined>(
    Object.values(units).map((u) => [u.id, 'parentId' in u ? u.parentId : undefined]),
  );
  for (let at: string | undefined = unitId; at; at = parentOf.get(at)) if (at === root) return true;
  return false;
};

/** The member leaderboard with `campaignId`, optionally restricted to a unit's subtree. */
export function expectedMemberBoard(
  metric: 'verifiedHours' | 'citizensAssisted',
  underUnit?: string,
): RankedMember[] {
  const values = new Map<string, number>();
  for (const s of inCampaign) {
    if (underUnit && !inSubtree(memberById(s.memberId).unitId, underUnit)) continue;
    const value =
      metric === 'verifiedHours'
        ? s.status === 'verified'
          ? campaignHours(s)
          : 0
        : sum(s.assists.filter((x) => windowDayOf(x.at) !== null).map((x) => x.citizens));
    values.set(s.memberId, (values.get(s.memberId) ?? 0) + value);
  }
  return rank(values);
}

/** A unit's figures over its whole subtree (API.md `GET /units/:id/summary`). */
export function expectedUnitSummary(unitId: string, extra: { clubs: number; posts: number }) {
  const ids = new Set(members.filter((m) => inSubtree(m.unitId, unitId)).map((m) => m.id));
  const mine = counted.filter((s) => ids.has(s.memberId));
  return {
    members: ids.size,
    clubs: extra.clubs,
    posts: extra.posts,
    citizensAssisted: sum(mine.flatMap((s) => s.assists).map((x) => x.citizens)),
    verifiedHours: sum(mine.filter((s) => s.status === 'verified').map(fullHours)),
    subunits: Object.values(units).filter((u) => u.id !== unitId && inSubtree(u.id, unitId)).length,
  };
}

/** A member's audit hours (full recorded length, by status) and shifts, ordered by start. */
export function expectedAudit(memberId: string, period?: { from: string; toExclusive: string }) {
  const mine = finalShifts
    .filter((s) => s.memberId === memberId)
    .filter(
      (s) => !period || (ms(s.start) >= ms(period.from) && ms(s.start) < ms(period.toExclusive)),
    )
    .sort((x, y) => ms(x.start) - ms(y.start));
  const hoursOf = (status: string) => sum(mine.filter((s) => s.status === status).map(fullHours));
  return {
    verifiedHours: hoursOf('verified'),
    pendingHours: hoursOf('pending'),
    rejectedHours: hoursOf('rejected'),
    shifts: mine,
  };
}
