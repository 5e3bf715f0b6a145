import {
  lifecycleAfter,
  shiftLifecycleEvents,
  shiftTimesAfter,
  storedCount,
  storedInstant,
  type ShiftLifecycle,
  type TypedEvent,
} from '#domain';
import type { RecordedEvent } from '#event-store';

export type ShiftStatus = ShiftLifecycle;

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

/** Citizens one shift can show: a PostgreSQL integer's range, whatever the log says. */
export const maxCitizens = 2_147_483_647;

/** Every event of a shift stream, assistance included: the row's version covers them all. */
export const shiftStreamTypes = [...shiftLifecycleEvents, 'CitizenAssisted'] as const;
export type ShiftStreamEvent = TypedEvent<RecordedEvent, (typeof shiftStreamTypes)[number]>;

/**
 * Folds a shift's lifecycle events into its row. Events at or below the row's version were applied
 * before and are skipped, so a replayed batch changes nothing. The times and status move as every
 * table of shifts moves them (`shiftTimesAfter`). Instants and counts are read with the domain's
 * stored-side readers: whatever an older gate let in is clamped, never thrown on.
 */
export function foldShift(
  row: ShiftRow | undefined,
  event: ShiftStreamEvent,
): ShiftRow | undefined {
  if (row && BigInt(row.version) >= event.streamVersion) return row;
  const version = event.streamVersion.toString();
  switch (event.type) {
    case 'ShiftStarted': {
      const d = event.data;
      return {
        shift_id: d.shiftId,
        member_id: d.memberId ?? null,
        campaign_id: d.campaignId ?? null,
        location: d.location ?? null,
        started_at: storedInstant(d.startedAt),
        ended_at: null,
        status: lifecycleAfter(event.type, false),
        citizens: 0,
        version,
      };
    }
    case 'ShiftEnded':
    case 'ShiftCorrected':
    case 'ShiftVerified':
    case 'ShiftRejected':
      return row && { ...row, ...shiftTimesAfter(row, event), version };
    case 'CitizenAssisted':
      return (
        row && {
          ...row,
          citizens: Math.min(
            maxCitizens,
            row.citizens + storedCount(event.data.citizens, 1, maxCitizens),
          ),
          version,
        }
      );
    default:
      return row;
  }
}
