import { storedInstant } from '../common/stored-values.js';

/**
 * The shift's status machine, written once. The command side's fold, the read models, the audit
 * trail, the hours certificate and the dashboard feed all move a shift with `lifecycleAfter` and ask
 * `counts` what a shift in a status contributes, so that a rule changed here changes every figure.
 *
 * started ─▶ open ─ended─▶ pending ─verified─▶ verified
 *                             │   └─rejected─▶ rejected
 *            corrected (from any status) ─▶ pending, or open while the shift has no end
 *
 * A correction clears any verdict: corrected work must be looked at again.
 */

/** Where a shift is in its life; `overdue` is not stored, it is derived from time (see shift-status). */
export type ShiftLifecycle = 'open' | 'pending' | 'verified' | 'rejected';

/** The events that move a shift from one status to another. */
export const shiftLifecycleEvents = [
  'ShiftStarted',
  'ShiftEnded',
  'ShiftCorrected',
  'ShiftVerified',
  'ShiftRejected',
] as const;
export type ShiftLifecycleEvent = (typeof shiftLifecycleEvents)[number];

/**
 * The status after `event`. `hasEndAfter`: whether the shift has an end once the event is applied
 * (only a correction depends on it).
 */
export function lifecycleAfter(event: ShiftLifecycleEvent, hasEndAfter: boolean): ShiftLifecycle {
  switch (event) {
    case 'ShiftStarted':
      return 'open';
    case 'ShiftEnded':
      return 'pending';
    case 'ShiftCorrected':
      return hasEndAfter ? 'pending' : 'open';
    case 'ShiftVerified':
      return 'verified';
    case 'ShiftRejected':
      return 'rejected';
  }
}

/**
 * The columns every table of shifts keeps, around columns of its own (the command side's directory for
 * the overlap rule, the read models for the figures): where the shift is in time and its status.
 */
export type StoredShiftTimes = Readonly<{
  started_at: string | null;
  ended_at: string | null;
  status: ShiftLifecycle;
}>;

/** An event after a shift's start that moves its times or status, as stored (values not yet read). */
export type ShiftMove =
  | Readonly<{ type: 'ShiftEnded'; data: Readonly<{ endedAt?: unknown }> }>
  | Readonly<{ type: 'ShiftCorrected'; data: Readonly<{ startedAt?: unknown; endedAt?: unknown }> }>
  | Readonly<{ type: 'ShiftVerified' | 'ShiftRejected' }>;

/**
 * A stored shift's times and status after `event`. Instants are read with the stored-side readers
 * (whatever an older, wider gate let in is clamped, never thrown on); a correction moves the times it
 * carries and keeps the others.
 */
export function shiftTimesAfter(times: StoredShiftTimes, event: ShiftMove): StoredShiftTimes {
  switch (event.type) {
    case 'ShiftEnded':
      return {
        ...times,
        ended_at: storedInstant(event.data.endedAt),
        status: lifecycleAfter(event.type, true),
      };
    case 'ShiftCorrected': {
      const ended = storedInstant(event.data.endedAt) ?? times.ended_at;
      return {
        started_at: storedInstant(event.data.startedAt) ?? times.started_at,
        ended_at: ended,
        status: lifecycleAfter(event.type, ended !== null),
      };
    }
    case 'ShiftVerified':
    case 'ShiftRejected':
      return { ...times, status: lifecycleAfter(event.type, true) };
  }
}

/** Whether an event type moves a shift's status (CitizenAssisted, for one, does not). */
export const isLifecycleEvent = (type: string): type is ShiftLifecycleEvent =>
  (shiftLifecycleEvents as readonly string[]).includes(type);

/**
 * What a shift in `status` contributes to the figures: its citizens count unless it was rejected; its
 * hours count as worked once ended and not rejected (pending or verified); as verified only verified.
 */
export const counts = (status: ShiftLifecycle) => ({
  citizens: status !== 'rejected',
  workedHours: status === 'pending' || status === 'verified',
  verifiedHours: status === 'verified',
});

/** The same rules for SQL over a `status` column, for the queries that still filter rows by status. */
export const countsSql = {
  citizens: (column: string) => `${column} <> 'rejected'`,
  workedHours: (column: string) => `${column} IN ('pending', 'verified')`,
  verifiedHours: (column: string) => `${column} = 'verified'`,
} as const;
