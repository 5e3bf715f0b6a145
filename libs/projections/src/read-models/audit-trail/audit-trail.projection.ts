import { eventsOf, isEvent, shiftLifecycleEvents, type ShiftLifecycleEvent } from '#domain';
import type { DomainRecordedEvent } from '#event-store';
import { bulkInsert } from '../../runner/bulk-sql.js';
import { ident, rows, type Projection } from '../../runner/projection.js';
import {
  auditTrailTables,
  createAuditTrailIndexes,
  createAuditTrailTables,
} from './audit-trail.ddl.js';

/** Milliseconds since the epoch: cheaper for PostgreSQL to render than formatted text. */
const ms = (column: string) => `(extract(epoch from ${column}) * 1000)::float8 AS ${column}`;
import { foldAuditShift, type AuditShiftRow } from './audit-shift.fold.js';
import { nameColumn } from '../member-names.js';

/** Per member, every shift as an auditor must see it (../shared/DESIGN.md "Projections", "Audit trail"). */
export const auditTrailProjection: Projection = {
  name: 'audit-trail',
  version: 2, // 2: names kept sealed
  handles: new Set(['MemberEnrolled', 'MemberDataErased', ...shiftLifecycleEvents]),
  tables: auditTrailTables,
  createTables: createAuditTrailTables,
  createIndexes: createAuditTrailIndexes,
  async apply(batch, tx) {
    const s = ident(tx.schema);
    await bulkInsert(tx.sql, {
      table: `${s}.audit_members`,
      columns: { member_id: 'text', display_name: 'text' },
      rows: batch
        .filter((e) => isEvent(e, 'MemberEnrolled'))
        .map(({ data: d }) => ({
          member_id: d.memberId,
          display_name: nameColumn(d.displayName), // sealed: see member-names.ts
        })),
      onConflict: 'ON CONFLICT (member_id) DO NOTHING',
    });
    const erased = batch.filter((e) => isEvent(e, 'MemberDataErased')).map((e) => e.data.memberId);
    if (erased.length)
      await tx.sql.query(
        `UPDATE ${s}.audit_members SET display_name = NULL, erased = true WHERE member_id = ANY($1)`,
        [erased],
      );
    await applyShifts(tx.sql, s, eventsOf(batch, ...shiftLifecycleEvents));
  },
};

async function applyShifts(
  sql: { query(text: string, params?: unknown[]): Promise<unknown> },
  s: string,
  events: DomainRecordedEvent<ShiftLifecycleEvent>[],
): Promise<void> {
  if (!events.length) return;
  // Every shift the batch touches, even those it starts: a replayed stretch must see the rows it already wrote.
  const touched = [...new Set(events.map((e) => e.data.shiftId))];
  const state = new Map<string, AuditShiftRow>();
  if (touched.length) {
    const loaded = await rows<AuditShiftRow>(
      sql,
      `SELECT shift_id, member_id, campaign_id, ${ms('started_at')}, ${ms('ended_at')}, status, recorded_by, ${ms('recorded_at')},
         verified_by, ${ms('verified_at')}, rejected_by, rejected_reason, version::text
       FROM ${s}.audit_shifts WHERE shift_id = ANY($1)`,
      [touched],
    );
    for (const row of loaded) {
      for (const key of ['started_at', 'ended_at', 'recorded_at', 'verified_at'] as const) {
        const value = row[key] as unknown as number | null;
        row[key] = value === null ? null : new Date(Number(value)).toISOString();
      }
      state.set(row.shift_id, row);
    }
  }
  const changed = new Set<string>();
  const refs: Record<string, unknown>[] = [];
  const corrections: Record<string, unknown>[] = [];
  for (const event of events) {
    const id = event.data.shiftId;
    const step = foldAuditShift(state.get(id), event);
    if (!step) continue;
    state.set(id, step.row);
    changed.add(id);
    refs.push({
      shift_id: id,
      version: step.ref.version,
      type: step.ref.type,
      position: step.ref.position,
      hash: step.ref.hash,
      recorded_by: step.ref.recordedBy,
      recorded_at: step.ref.recordedAt,
    });
    const c = step.correction;
    if (c) {
      corrections.push({
        shift_id: id,
        version: c.version,
        reason: c.reason,
        corrected_by: c.by,
        corrected_at: c.at,
        before_started_at: c.before.startedAt,
        before_ended_at: c.before.endedAt,
        after_started_at: c.after.startedAt,
        after_ended_at: c.after.endedAt,
      });
    }
  }
  await bulkInsert(sql, {
    table: `${s}.audit_shifts`,
    columns: {
      shift_id: 'text',
      member_id: 'text',
      campaign_id: 'text',
      started_at: 'timestamptz',
      ended_at: 'timestamptz',
      status: 'text',
      recorded_by: 'text',
      recorded_at: 'timestamptz',
      verified_by: 'text',
      verified_at: 'timestamptz',
      rejected_by: 'text',
      rejected_reason: 'text',
      version: 'bigint',
    },
    rows: [...changed].map((id) => state.get(id)!),
    onConflict: `ON CONFLICT (shift_id) DO UPDATE SET member_id = EXCLUDED.member_id, campaign_id = EXCLUDED.campaign_id,
      started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at, status = EXCLUDED.status, recorded_by = EXCLUDED.recorded_by,
      recorded_at = EXCLUDED.recorded_at, verified_by = EXCLUDED.verified_by, verified_at = EXCLUDED.verified_at,
      rejected_by = EXCLUDED.rejected_by, rejected_reason = EXCLUDED.rejected_reason, version = EXCLUDED.version
      WHERE ${s}.audit_shifts.version < EXCLUDED.version`,
  });
  // insert-only: the fold hands out only events newer than the shift row, which commits with them
  await bulkInsert(sql, {
    table: `${s}.audit_events`,
    columns: {
      shift_id: 'text',
      version: 'bigint',
      type: 'text',
      position: 'bigint',
      hash: 'text',
      recorded_by: 'text',
      recorded_at: 'timestamptz',
    },
    rows: refs,
    onConflict: '',
  });
  await bulkInsert(sql, {
    table: `${s}.audit_corrections`,
    columns: {
      shift_id: 'text',
      version: 'bigint',
      reason: 'text',
      corrected_by: 'text',
      corrected_at: 'timestamptz',
      before_started_at: 'timestamptz',
      before_ended_at: 'timestamptz',
      after_started_at: 'timestamptz',
      after_ended_at: 'timestamptz',
    },
    rows: corrections,
    onConflict: '',
  });
}
