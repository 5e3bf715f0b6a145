import type { Instant } from '../common/event.js';
import { instantMillis } from '../common/instant.js';
import type { ShiftLifecycle } from './shift-lifecycle.js';
import { defaultMaxShiftHours } from './shift-rules.js';

/** `overdue`: still open after the maximum length; flagged for a coordinator to end or correct. */
export type ShiftStatus = ShiftLifecycle | 'overdue';

/** The fields status and credit depend on; a ShiftState or a read-model row both fit. */
export type ShiftTimes = Readonly<{
  status: ShiftLifecycle;
  startedAt: Instant;
  endedAt: Instant | null;
}>;

const hourMs = 3_600_000;

export function shiftStatus(
  shift: ShiftTimes,
  now: Instant,
  maxShiftHours = defaultMaxShiftHours,
): ShiftStatus {
  if (shift.status !== 'open') return shift.status;
  const elapsed = instantMillis(now, 'now') - instantMillis(shift.startedAt);
  return elapsed > maxShiftHours * hourMs ? 'overdue' : 'open';
}

/**
 * Hours a shift counts for: its length once ended, the time so far while open, nothing when
 * rejected, and nothing while overdue: a forgotten "end" must not turn into a day of credit.
 */
export function creditedHours(
  shift: ShiftTimes,
  now: Instant,
  maxShiftHours = defaultMaxShiftHours,
): number {
  switch (shiftStatus(shift, now, maxShiftHours)) {
    case 'rejected':
    case 'overdue':
      return 0;
    case 'open':
      return Math.max(0, instantMillis(now, 'now') - instantMillis(shift.startedAt)) / hourMs;
    case 'pending':
    case 'verified':
      return shift.endedAt === null
        ? 0
        : (instantMillis(shift.endedAt) - instantMillis(shift.startedAt)) / hourMs;
  }
}
