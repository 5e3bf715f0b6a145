import { counts, isLifecycleEvent, lifecycleAfter, type ShiftLifecycle } from '#domain';
import type { RecordedEvent } from '#event-store';
import type { UnitLeaderboardEntry, UnitMetric, UnitSummary } from '#projections';

type Unit = { name: string; kind: string; parentId: string | null };
type Shift = {
  unitId?: string;
  start: number;
  end?: number;
  status: ShiftLifecycle;
  citizens: number;
};
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = Record<string, any>;

/**
 * The reference for unit summaries and the units board: a plain fold over the stored events, knowing
 * nothing of the read model's tables. A unit's figures are those of every unit whose chain of parents
 * reaches it (walked here, parent by parent); a shift counts its assistance unless rejected and its
 * hours once verified, by the domain's status rules; an erased member keeps being counted.
 */
export function unitFiguresFromEvents(events: readonly RecordedEvent[]) {
  const units = new Map<string, Unit>();
  const memberUnit = new Map<string, string>();
  const clubs = new Map<string, string>();
  const posts = new Map<string, string>();
  const shifts = new Map<string, Shift>();
  for (const { type, data } of events) {
    const d = data as Data;
    const shift = shifts.get(d.shiftId);
    if (type === 'UnitRegistered' && !units.has(d.unitId))
      units.set(d.unitId, { name: d.name, kind: d.kind, parentId: d.parentId ?? null });
    if (type === 'MemberEnrolled') memberUnit.set(d.memberId, d.unitId);
    if (type === 'ClubFormed') clubs.set(d.clubId, d.unitId);
    if (type === 'PostPublished') posts.set(d.postId, d.unitId);
    if (type === 'ShiftStarted')
      shifts.set(d.shiftId, {
        unitId: memberUnit.get(d.memberId),
        start: Date.parse(d.startedAt),
        status: lifecycleAfter(type, false),
        citizens: 0,
      });
    if (!shift) continue;
    if (type === 'CitizenAssisted') shift.citizens += d.citizens;
    if (type === 'ShiftCorrected' && d.startedAt) shift.start = Date.parse(d.startedAt);
    if ((type === 'ShiftEnded' || type === 'ShiftCorrected') && d.endedAt)
      shift.end = Date.parse(d.endedAt);
    if (isLifecycleEvent(type)) shift.status = lifecycleAfter(type, shift.end !== undefined);
  }

  const within = (unitId: string | undefined, root: string) => {
    for (let at = unitId; at !== undefined; at = units.get(at)?.parentId ?? undefined)
      if (at === root) return true;
    return false;
  };
  const count = (facts: Map<string, string>, root: string) =>
    [...facts.values()].filter((unitId) => within(unitId, root)).length;

  const summary = (unitId: string): UnitSummary => {
    let citizens = 0;
    let verifiedMs = 0;
    for (const shift of shifts.values()) {
      if (!within(shift.unitId, unitId)) continue;
      if (counts(shift.status).citizens) citizens += shift.citizens;
      if (counts(shift.status).verifiedHours) verifiedMs += shift.end! - shift.start;
    }
    return {
      unitId,
      ...units.get(unitId)!,
      members: count(memberUnit, unitId),
      clubs: count(clubs, unitId),
      posts: count(posts, unitId),
      citizensAssisted: citizens,
      verifiedHours: Math.round(verifiedMs / 36_000) / 100,
      subunits: [...units.keys()].filter((id) => id !== unitId && within(id, unitId)).length,
    };
  };

  /** Children of `parentId` (or the roots) by the metric; ties share a rank (1, 2, 2, 4), then by id. */
  const board = (metric: UnitMetric, parentId: string | null, limit: number) => {
    const values = [...units.entries()]
      .filter(([, unit]) => unit.parentId === parentId)
      .map(([id, unit]) => ({ unitId: id, name: unit.name, value: summary(id)[metric] }))
      .sort((a, b) => b.value - a.value || (a.unitId < b.unitId ? -1 : 1));
    const ranked = values.map((e): UnitLeaderboardEntry => ({
      rank: 1 + values.filter((other) => other.value > e.value).length,
      ...e,
    }));
    return ranked.slice(0, limit);
  };

  return { unitIds: [...units.keys()], summary, board };
}
