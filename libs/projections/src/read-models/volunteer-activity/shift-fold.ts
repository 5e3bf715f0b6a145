import type { RecordedEvent } from '#event-store';

export type ShiftStatus = 'open' | 'pending' | 'verified' | 'rejected';

export type ShiftRow = {
  shift_id: string;
  member_id: string | null;
  campaign_id: string | null;
  location: string | null;
  started_at: string | null;
  ended_at: string | null;
  status: ShiftStatus;
  /** Citizens assisted during the shift, summed as the assistance is folded in. */
  citizens: number;
  /** Stream version of the last event folded in: the idempotency guard. */
  version: string;
};

export const shiftLifecycleTypes = new Set([
  'ShiftStarted',
  'ShiftEnded',
  'ShiftCorrected',
  'ShiftVerified',
  'ShiftRejected',
]);
/** Every event of a shift stream, assistance included: the row's version covers them all. */
export const shiftStreamTypes = new Set([...shiftLifecycleTypes, 'CitizenAssisted']);

/**
 * Folds a shift's lifecycle events into its row. Events at or below the row's version were applied
 * before and are skipped, so a replayed batch changes nothing. A correction moves the times and sends
 * the shift back to pending (or open, while it has no end).
 */
export function foldShift(row: ShiftRow | undefined, event: RecordedEvent): ShiftRow | undefined {
  if (row && BigInt(row.version) >= event.streamVersion) return row;
  const d = event.data as Record<string, string | null>;
  const version = event.streamVersion.toString();
  switch (event.type) {
    case 'ShiftStarted':
      return {
        shift_id: d.shiftId!,
        member_id: d.memberId ?? null,
        campaign_id: d.campaignId ?? null,
        location: d.location ?? null,
        started_at: d.startedAt ?? null,
        ended_at: null,
        status: 'open',
        citizens: 0,
        version,
      };
    case 'ShiftEnded':
      return row && { ...row, ended_at: d.endedAt ?? null, status: 'pending', version };
    case 'ShiftCorrected': {
      if (!row) return row;
      const ended = d.endedAt ?? row.ended_at;
      return {
        ...row,
        started_at: d.startedAt ?? row.started_at,
        ended_at: ended,
        status: ended ? 'pending' : 'open',
        version,
      };
    }
    case 'ShiftVerified':
      return row && { ...row, status: 'verified', version };
    case 'ShiftRejected':
      return row && { ...row, status: 'rejected', version };
    case 'CitizenAssisted':
      return row && { ...row, citizens: row.citizens + Number(d.citizens), version };
    default:
      return row;
  }
}
