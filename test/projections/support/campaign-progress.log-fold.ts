import { DateTime } from 'luxon';
import type { CampaignProgress } from '#projections';
import type { RecordedEvent } from '#event-store';

// An independent answer to GET /campaigns/:id/progress: a plain fold of the stored events, written
// from ../shared/DESIGN.md "Rules" and API.md, sharing no code with the projection (no counters, no
// SQL, no #domain calendar helpers; luxon directly). What the test compares the read model with.

type Shift = {
  memberId: string | null;
  campaignId: string | null;
  startedAt: string;
  endedAt: string | null;
  status: 'open' | 'pending' | 'verified' | 'rejected';
  assistance: { occurredAt: string; serviceType: string; citizens: number }[];
};
type Campaign = {
  unitId: string;
  name: string;
  timezone: string;
  startDate: string;
  endDate: string;
  dailyWindow: { from: string; to: string };
  goals: Record<string, unknown>;
  closed: boolean;
};

/** Every event of the log, in log order. */
export async function readLog(store: {
  readAll(o: { fromPosition: 'start' | bigint; maxCount: number }): Promise<RecordedEvent[]>;
}): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for (;;) {
    const page = await store.readAll({
      fromPosition: all.length ? all[all.length - 1]!.globalPosition : 'start',
      maxCount: 5_000,
    });
    all.push(...page);
    if (page.length < 5_000) return all;
  }
}

export function progressFromLog(log: RecordedEvent[], campaignId: string): CampaignProgress | null {
  let campaign: Campaign | undefined;
  const shifts = new Map<string, Shift>();
  for (const { type, data: d } of log) {
    if (d.campaignId === campaignId && type === 'CampaignLaunched' && !campaign)
      campaign = {
        ...(d as Campaign),
        goals: (d.goals ?? {}) as Record<string, unknown>,
        closed: false,
      };
    if (d.campaignId === campaignId && type === 'CampaignExtended' && campaign)
      campaign.endDate = d.endDate as string;
    if (d.campaignId === campaignId && type === 'CampaignClosed' && campaign)
      campaign.closed = true;
    const shift = shifts.get(d.shiftId as string);
    if (type === 'ShiftStarted')
      shifts.set(d.shiftId as string, {
        memberId: d.memberId as string,
        campaignId: d.campaignId as string,
        startedAt: d.startedAt as string,
        endedAt: null,
        status: 'open',
        assistance: [],
      });
    if (!shift) continue;
    if (type === 'CitizenAssisted')
      shift.assistance.push({
        occurredAt: d.occurredAt as string,
        serviceType: d.serviceType as string,
        citizens: d.citizens as number,
      });
    if (type === 'ShiftEnded') [shift.endedAt, shift.status] = [d.endedAt as string, 'pending'];
    if (type === 'ShiftVerified') shift.status = 'verified';
    if (type === 'ShiftRejected') shift.status = 'rejected';
    if (type === 'ShiftCorrected') {
      shift.startedAt = (d.startedAt as string | null) ?? shift.startedAt;
      shift.endedAt = (d.endedAt as string | null) ?? shift.endedAt;
      shift.status = shift.endedAt ? 'pending' : 'open'; // corrected work is looked at again
    }
  }
  if (!campaign) return null;
  const c = campaign;
  const zone = c.timezone;
  const local = (instant: string) => DateTime.fromISO(instant).setZone(zone);
  const walls = new Map<string, number>();
  const wall = (date: string, time: string) => {
    const key = `${date}T${time}`;
    if (!walls.has(key))
      walls.set(
        key,
        time === '24:00'
          ? DateTime.fromISO(date, { zone }).plus({ days: 1 }).toMillis()
          : DateTime.fromISO(key, { zone }).toMillis(),
      );
    return walls.get(key)!;
  };
  const inside = (instant: string) => {
    const at = local(instant);
    const date = at.toISODate()!;
    const ms = at.toMillis();
    const { from, to } = c.dailyWindow;
    return (
      date >= c.startDate && date <= c.endDate && ms >= wall(date, from) && ms < wall(date, to)
    );
  };
  const days: string[] = [];
  for (let d = DateTime.fromISO(c.startDate); d.toISODate()! <= c.endDate; d = d.plus({ days: 1 }))
    days.push(d.toISODate()!);
  const byDay = new Map(
    days.map((date) => [date, { date, citizensAssisted: 0, volunteerTurns: 0, ms: 0 }]),
  );
  const byServiceType: Record<string, number> = {};
  const outOfWindow = { assistanceEvents: 0, citizensAssisted: 0, shifts: 0 };
  const volunteers = new Set<string>();
  let citizens = 0;
  let turns = 0;
  let ms = 0;
  let verifiedMs = 0;
  for (const shift of shifts.values()) {
    if (shift.campaignId !== campaignId || shift.status === 'rejected') continue;
    if (inside(shift.startedAt)) {
      turns += 1;
      byDay.get(local(shift.startedAt).toISODate()!)!.volunteerTurns += 1;
      if (shift.memberId) volunteers.add(shift.memberId);
    } else outOfWindow.shifts += 1;
    for (const a of shift.assistance) {
      if (!inside(a.occurredAt)) {
        outOfWindow.assistanceEvents += 1;
        outOfWindow.citizensAssisted += a.citizens;
        continue;
      }
      citizens += a.citizens;
      byDay.get(local(a.occurredAt).toISODate()!)!.citizensAssisted += a.citizens;
      byServiceType[a.serviceType] = (byServiceType[a.serviceType] ?? 0) + a.citizens;
    }
    if (!shift.endedAt) continue;
    const [start, end] = [Date.parse(shift.startedAt), Date.parse(shift.endedAt)];
    for (const date of days) {
      const worked =
        Math.min(end, wall(date, c.dailyWindow.to)) -
        Math.max(start, wall(date, c.dailyWindow.from));
      if (worked <= 0) continue;
      byDay.get(date)!.ms += worked;
      ms += worked;
      if (shift.status === 'verified') verifiedMs += worked;
    }
  }
  // hours from whole milliseconds, rounded to hundredths half up on the exact value (in integers:
  // a float of the hours rounds 0.575 down)
  const round2 = (millis: number) => Math.round(millis / 36_000) / 100;
  const totals = {
    citizensAssisted: citizens,
    volunteerTurns: turns,
    distinctVolunteers: volunteers.size,
    hours: round2(ms),
    verifiedHours: round2(verifiedMs),
  };
  const goals: CampaignProgress['goals'] = {};
  for (const [key, target] of Object.entries(c.goals)) {
    if (typeof target !== 'number') continue;
    const reached = totals[key as keyof typeof totals] ?? 0;
    goals[key] = {
      target,
      reached,
      percent: target > 0 ? Math.round((reached / target) * 1000) / 10 : 100,
    };
  }
  return {
    campaignId,
    unitId: c.unitId,
    name: c.name,
    timezone: zone,
    startDate: c.startDate,
    endDate: c.endDate,
    dailyWindow: c.dailyWindow,
    closed: c.closed,
    totals,
    goals,
    byDay: [...byDay.values()].map(({ ms: dayMs, ...day }) => ({ ...day, hours: round2(dayMs) })),
    byServiceType,
    outOfWindow,
  };
}
