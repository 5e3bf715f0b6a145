import { lifecycleAfter, storedInstant, type ShiftLifecycleEvent } from '#domain';
import type { DomainRecordedEvent, RecordedEvent } from '#event-store';

export type AuditCorrection = {
  reason: string;
  by: string;
  at: string;
  before: { startedAt: string | null; endedAt: string | null };
  after: { startedAt: string | null; endedAt: string | null };
};
export type AuditEventRef = {
  type: string;
  version: string;
  position: string;
  hash: string;
  recordedBy: string;
  recordedAt: string;
};

export type AuditShiftRow = {
  shift_id: string;
  member_id: string | null;
  campaign_id: string | null;
  started_at: string | null;
  ended_at: string | null;
  status: string;
  recorded_by: string | null;
  recorded_at: string | null;
  verified_by: string | null;
  verified_at: string | null;
  rejected_by: string | null;
  rejected_reason: string | null;
  version: string;
};

/** What one event adds to the audit tables: the shift's new state, the event's reference, maybe a correction. */
export type AuditStep = {
  row: AuditShiftRow;
  ref: AuditEventRef;
  correction?: AuditCorrection & { shiftId: string; version: string };
};

// Instants as UTC text PostgreSQL stores: whatever an older gate let in (an offset of +16:00, the year
// 0) is clamped by the domain's stored-side reader, never thrown on; unreadable text is no instant.
const iso = storedInstant;
// When the event was recorded: set by the server, but read as carefully, and never missing.
const recordedAt = (event: RecordedEvent): string =>
  storedInstant(event.metadata.recordedAt) ?? new Date(0).toISOString();

/**
 * What an auditor sees of one shift: recorded times, who recorded it and when, each correction with the
 * times before and after, the verification, and the position and hash of every event behind it.
 * Returns nothing for an event at or below the row's version (folded in already: idempotent replay).
 */
export function foldAuditShift(
  row: AuditShiftRow | undefined,
  event: DomainRecordedEvent<ShiftLifecycleEvent>,
): AuditStep | undefined {
  if (row && BigInt(row.version) >= event.streamVersion) return undefined;
  const m = event.metadata;
  const version = event.streamVersion.toString();
  const ref: AuditEventRef = {
    type: event.type,
    version,
    position: event.globalPosition.toString(),
    hash: event.hash,
    recordedBy: m.recordedBy,
    recordedAt: recordedAt(event),
  };
  const next = (changes: Partial<AuditShiftRow>): AuditStep | undefined =>
    row && { row: { ...row, ...changes, version }, ref };
  switch (event.type) {
    case 'ShiftStarted': {
      const d = event.data;
      return {
        row: {
          shift_id: d.shiftId,
          member_id: d.memberId ?? null,
          campaign_id: d.campaignId ?? null, // absent, not null, in events an older gate let in
          started_at: iso(d.startedAt),
          ended_at: null,
          status: lifecycleAfter(event.type, false),
          recorded_by: m.recordedBy,
          recorded_at: iso(m.recordedAt),
          verified_by: null,
          verified_at: null,
          rejected_by: null,
          rejected_reason: null,
          version,
        },
        ref,
      };
    }
    case 'ShiftEnded':
      return next({ ended_at: iso(event.data.endedAt), status: lifecycleAfter(event.type, true) });
    case 'ShiftCorrected': {
      if (!row) return undefined;
      const d = event.data;
      const after = {
        startedAt: iso(d.startedAt) ?? row.started_at,
        endedAt: iso(d.endedAt) ?? row.ended_at,
      };
      const step = next({
        started_at: after.startedAt,
        ended_at: after.endedAt,
        status: lifecycleAfter(event.type, after.endedAt !== null),
        verified_by: null,
        verified_at: null,
      })!;
      step.correction = {
        shiftId: row.shift_id,
        version,
        reason: d.reason,
        by: m.recordedBy,
        at: recordedAt(event),
        before: { startedAt: row.started_at, endedAt: row.ended_at },
        after,
      };
      return step;
    }
    case 'ShiftVerified':
      return next({
        status: lifecycleAfter(event.type, true),
        verified_by: event.data.verifiedBy ?? m.recordedBy,
        verified_at: iso(m.recordedAt),
      });
    case 'ShiftRejected':
      return next({
        status: lifecycleAfter(event.type, true),
        rejected_by: event.data.rejectedBy ?? m.recordedBy,
        rejected_reason: event.data.reason ?? null,
      });
    default:
      return undefined;
  }
}
