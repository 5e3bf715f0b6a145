import { rows, type Sql } from '../../runner/projection.js';
import { ERASED_NAME, nameFromColumn, type StoredName } from '../member-names.js';
import type { AuditCorrection, AuditEventRef } from './audit-shift.fold.js';
import { isoUtc } from './audit-trail.ddl.js';
import { csvDocument } from './csv-cell.js';
import { round2 } from '../volunteer-activity/campaign-time.sql.js';

export type AuditShift = {
  shiftId: string;
  campaignId: string | null;
  startedAt: string | null;
  endedAt: string | null;
  hours: number | null;
  status: string;
  overdue: boolean;
  recordedBy: string | null;
  recordedAt: string | null;
  verifiedBy: string | null;
  verifiedAt: string | null;
  rejectedBy: string | null;
  rejectedReason: string | null;
  corrections: AuditCorrection[];
  events: AuditEventRef[];
};

/** A member's hours as the audit trail keeps them: free of the clock, so one answer per checkpoint serves every auditor. */
export type StoredAuditHours = Omit<AuditHours, 'shifts'> & {
  shifts: Omit<AuditShift, 'overdue'>[];
};

export type AuditHours = {
  memberId: string;
  /** Sealed as stored: the caller opens it (`openNames`). */
  displayName: StoredName;
  erased: boolean;
  from: string | null;
  to: string | null;
  verifiedHours: number;
  pendingHours: number;
  rejectedHours: number;
  shifts: AuditShift[];
};

type ShiftQueryRow = {
  shift_id: string;
  campaign_id: string | null;
  started_at: string | null;
  ended_at: string | null;
  hours: number | null;
  status: string;
  recorded_by: string | null;
  recorded_at: string | null;
  verified_by: string | null;
  verified_at: string | null;
  rejected_by: string | null;
  rejected_reason: string | null;
  corrections: AuditCorrection[];
  events: AuditEventRef[];
};

/**
 * A member's shifts that started in [from, to), with everything behind each one. Hours are the shift's
 * full recorded length; an open shift has none yet (`flagOverdue` says which have been open too long).
 */
export async function auditMemberHours(
  sql: Sql,
  schema: string,
  q: Readonly<{ memberId: string; from?: string; to?: string }>,
): Promise<StoredAuditHours | null> {
  const [member] = await rows<{ display_name: string | null; erased: boolean }>(
    sql,
    `SELECT display_name, erased FROM ${schema}.audit_members WHERE member_id = $1`,
    [q.memberId],
  );
  const shifts = await rows<ShiftQueryRow>(
    sql,
    `SELECT shift_id, campaign_id, ${isoUtc('started_at')} AS started_at, ${isoUtc('ended_at')} AS ended_at,
       EXTRACT(EPOCH FROM ended_at - started_at)::float8 / 3600.0 AS hours, status, recorded_by, ${isoUtc('recorded_at')} AS recorded_at,
       verified_by, ${isoUtc('verified_at')} AS verified_at, rejected_by, rejected_reason,
       COALESCE((SELECT json_agg(json_build_object('reason', c.reason, 'by', c.corrected_by, 'at', ${isoUtc('c.corrected_at')},
           'before', json_build_object('startedAt', ${isoUtc('c.before_started_at')}, 'endedAt', ${isoUtc('c.before_ended_at')}),
           'after', json_build_object('startedAt', ${isoUtc('c.after_started_at')}, 'endedAt', ${isoUtc('c.after_ended_at')})) ORDER BY c.version)
         FROM ${schema}.audit_corrections c WHERE c.shift_id = a.shift_id), '[]') AS corrections,
       COALESCE((SELECT json_agg(json_build_object('type', e.type, 'version', e.version::text, 'position', e.position::text, 'hash', e.hash,
           'recordedBy', e.recorded_by, 'recordedAt', ${isoUtc('e.recorded_at')}) ORDER BY e.version)
         FROM ${schema}.audit_events e WHERE e.shift_id = a.shift_id), '[]') AS events
     FROM ${schema}.audit_shifts a
     WHERE member_id = $1 AND ($2::timestamptz IS NULL OR started_at >= $2) AND ($3::timestamptz IS NULL OR started_at < $3)
     ORDER BY started_at, shift_id`,
    [q.memberId, q.from ?? null, q.to ?? null],
  );
  if (!member && !shifts.length) return null;
  const totals = { verified: 0, pending: 0, rejected: 0 };
  const list = shifts.map((s) => {
    const hours = s.hours === null ? null : round2(Number(s.hours));
    if (hours !== null && s.status in totals)
      totals[s.status as keyof typeof totals] += Number(s.hours);
    return {
      shiftId: s.shift_id,
      campaignId: s.campaign_id,
      startedAt: s.started_at,
      endedAt: s.ended_at,
      hours,
      status: s.status,
      recordedBy: s.recorded_by,
      recordedAt: s.recorded_at,
      verifiedBy: s.verified_by,
      verifiedAt: s.verified_at,
      rejectedBy: s.rejected_by,
      rejectedReason: s.rejected_reason,
      corrections: s.corrections,
      events: s.events,
    };
  });
  return {
    memberId: q.memberId,
    displayName: member?.erased ? ERASED_NAME : nameFromColumn(member?.display_name ?? null),
    erased: member?.erased ?? false,
    from: q.from ?? null,
    to: q.to ?? null,
    verifiedHours: round2(totals.verified),
    pendingHours: round2(totals.pending),
    rejectedHours: round2(totals.rejected),
    shifts: list,
  };
}

/**
 * The report as of `now`: a shift left open past `maxShiftHours` is flagged overdue (it credits nothing
 * until a coordinator ends or corrects it). Apart from the query because it moves with the clock.
 */
export function flagOverdue(
  report: StoredAuditHours,
  { now = new Date(), maxShiftHours = 16 }: Readonly<{ now?: Date; maxShiftHours?: number }> = {},
): AuditHours {
  const limit = now.getTime() - maxShiftHours * 3_600_000;
  return {
    ...report,
    shifts: report.shifts.map((s) => ({
      ...s,
      overdue: s.status === 'open' && s.startedAt !== null && Date.parse(s.startedAt) < limit,
    })),
  };
}

/**
 * The same as CSV (csvDocument: UTF-8 with a byte-order mark, CR LF): one line per shift, corrections
 * as "reason (by at: before -> after)" joined with " | ", every time in UTC (ISO 8601 with `Z`).
 */
export function auditHoursCsv(report: AuditHours): string {
  const header = [
    'memberId',
    'displayName',
    'shiftId',
    'campaignId',
    'startedAt',
    'endedAt',
    'hours',
    'status',
    'recordedBy',
    'recordedAt',
    'verifiedBy',
    'corrections',
  ];
  const lines = report.shifts.map((s) => [
    report.memberId,
    typeof report.displayName === 'string' ? report.displayName : null, // opened, or sealed: none
    s.shiftId,
    s.campaignId,
    s.startedAt,
    s.endedAt,
    s.hours,
    s.status,
    s.recordedBy,
    s.recordedAt,
    s.verifiedBy,
    s.corrections
      .map(
        (c) =>
          `${c.reason} (${c.by} ${c.at}: ${c.before.startedAt}–${c.before.endedAt} -> ${c.after.startedAt}–${c.after.endedAt})`,
      )
      .join(' | '),
  ]);
  return csvDocument([header, ...lines]);
}
