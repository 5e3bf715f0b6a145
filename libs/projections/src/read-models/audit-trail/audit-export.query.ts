import type pg from 'pg';
import { rows } from '../../runner/projection.js';
import { nameFromColumn, type StoredName } from '../member-names.js';
import type { AuditCorrection } from './audit-shift.fold.js';
import { isoUtc } from './audit-trail.ddl.js';

/** Whose shifts an export covers: one member, a unit's whole subtree, or one campaign. */
export type AuditExportScope = { member: string } | { unit: string } | { campaign: string };

export type AuditExportShift = {
  memberId: string;
  displayName: StoredName;
  erased: boolean;
  unitId: string | null;
  unitName: string | null;
  shiftId: string;
  campaignId: string | null;
  campaignName: string | null;
  /** The campaign's zone, for local times when the export names none. */
  campaignTimezone: string | null;
  location: string | null;
  startedAt: string | null;
  endedAt: string | null;
  /** Exact: totals add these up, and only what is shown is rounded (`roundHours`), as the hours route does. */
  hours: number | null;
  citizens: number;
  status: string;
  recordedBy: string | null;
  recordedAt: string | null;
  verifiedBy: string | null;
  verifiedAt: string | null;
  rejectedBy: string | null;
  rejectedReason: string | null;
  corrections: AuditCorrection[];
};

/** Shifts an export holds in memory at once: a province's whole trail (105,217 shifts at a million events) took 988 MB. */
export const AUDIT_EXPORT_PAGE = 500;

/**
 * Every shift of the scope that started in [from, to), with who recorded, corrected and verified it
 * (the audit trail) and where, for whom and under which unit and campaign it was worked (volunteer
 * activity), a page of `pageSize` shifts at a time in start order. Two read models, both brought to
 * the head by the caller before it asks. The pages come from one cursor in one read-only REPEATABLE
 * READ transaction: together they are one state of the read models, as a single query's answer was,
 * however long the reader takes over them, while only a page is held in memory.
 */
export async function* auditExportPages(
  pool: Pick<pg.Pool, 'connect'>,
  schemas: Readonly<{ audit: string; activity: string }>,
  scope: AuditExportScope,
  period: Readonly<{ from?: string; to?: string }>,
  pageSize: number = AUDIT_EXPORT_PAGE,
): AsyncGenerator<AuditExportShift[]> {
  const { text, params } = auditExportQuery(schemas, scope, period);
  const client = await pool.connect();
  let open = false;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    open = true;
    // every row is read: plan for the whole answer, as the single query was, not for its first tenth
    await client.query('SET LOCAL cursor_tuple_fraction = 1');
    await client.query(`DECLARE audit_export NO SCROLL CURSOR FOR ${text}`, params);
    for (;;) {
      const page = await rows<Record<string, unknown>>(
        client,
        `FETCH FORWARD ${pageSize} FROM audit_export`,
      );
      if (page.length) yield page.map(exportShift);
      if (page.length < pageSize) break;
    }
    await client.query('COMMIT');
    open = false;
  } finally {
    // a reader that stopped early (a closed pipe) ends the transaction, and its cursor with it
    if (open) await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

function auditExportQuery(
  schemas: Readonly<{ audit: string; activity: string }>,
  scope: AuditExportScope,
  period: Readonly<{ from?: string; to?: string }>,
): { text: string; params: unknown[] } {
  const { audit: a, activity: v } = schemas;
  const [filter, value] =
    'member' in scope
      ? ['s.member_id = $1', scope.member]
      : 'campaign' in scope
        ? ['s.campaign_id = $1', scope.campaign]
        : ['u.path @> ARRAY[$1::text]', scope.unit];
  return {
    text: `SELECT s.member_id, m.display_name, coalesce(m.erased, false) AS erased, m.unit_id, u.name AS unit_name,
            s.shift_id, s.campaign_id, c.name AS campaign_name, c.timezone AS campaign_timezone, s.location,
            ${isoUtc('s.started_at')} AS started_at, ${isoUtc('s.ended_at')} AS ended_at,
            EXTRACT(EPOCH FROM s.ended_at - s.started_at)::float8 / 3600.0 AS hours, s.citizens, s.status,
            t.recorded_by, ${isoUtc('t.recorded_at')} AS recorded_at, t.verified_by, ${isoUtc('t.verified_at')} AS verified_at,
            t.rejected_by, t.rejected_reason,
            COALESCE((SELECT json_agg(json_build_object('reason', k.reason, 'by', k.corrected_by, 'at', ${isoUtc('k.corrected_at')},
                'before', json_build_object('startedAt', ${isoUtc('k.before_started_at')}, 'endedAt', ${isoUtc('k.before_ended_at')}),
                'after', json_build_object('startedAt', ${isoUtc('k.after_started_at')}, 'endedAt', ${isoUtc('k.after_ended_at')})) ORDER BY k.version)
              FROM ${a}.audit_corrections k WHERE k.shift_id = s.shift_id), '[]') AS corrections
       FROM ${v}.shifts s
       LEFT JOIN ${v}.members m ON m.member_id = s.member_id
       LEFT JOIN ${v}.units u ON u.unit_id = m.unit_id
       LEFT JOIN ${v}.campaigns c ON c.campaign_id = s.campaign_id
       LEFT JOIN ${a}.audit_shifts t ON t.shift_id = s.shift_id
      WHERE ${filter} AND s.started_at IS NOT NULL
        AND ($2::timestamptz IS NULL OR s.started_at >= $2) AND ($3::timestamptz IS NULL OR s.started_at < $3)
      ORDER BY s.started_at, s.shift_id`,
    params: [value, period.from ?? null, period.to ?? null],
  };
}

const exportShift = (r: Record<string, unknown>): AuditExportShift => ({
  memberId: r.member_id as string,
  displayName: nameFromColumn(r.display_name as string | null),
  erased: r.erased as boolean,
  unitId: r.unit_id as string | null,
  unitName: r.unit_name as string | null,
  shiftId: r.shift_id as string,
  campaignId: r.campaign_id as string | null,
  campaignName: r.campaign_name as string | null,
  campaignTimezone: r.campaign_timezone as string | null,
  location: r.location as string | null,
  startedAt: r.started_at as string | null,
  endedAt: r.ended_at as string | null,
  hours: r.hours === null ? null : Number(r.hours),
  citizens: Number(r.citizens ?? 0),
  status: r.status as string,
  recordedBy: r.recorded_by as string | null,
  recordedAt: r.recorded_at as string | null,
  verifiedBy: r.verified_by as string | null,
  verifiedAt: r.verified_at as string | null,
  rejectedBy: r.rejected_by as string | null,
  rejectedReason: r.rejected_reason as string | null,
  corrections: r.corrections as AuditCorrection[],
});
