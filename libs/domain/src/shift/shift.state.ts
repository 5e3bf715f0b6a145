import { instantMillis } from '../common/instant.js';
import type { Instant } from '../common/event.js';
import type { ShiftEvent } from './shift.events.js';
import { lifecycleAfter, type ShiftLifecycle } from './shift-lifecycle.js';

export type ShiftState = Readonly<{
  shiftId: string;
  memberId: string;
  campaignId: string | null;
  location: string;
  startedAt: Instant;
  endedAt: Instant | null;
  status: ShiftLifecycle;
  verifiedBy: string | null;
  rejectedBy: string | null;
  rejectionReason: string | null;
  /**
   * How many assistance records the shift holds. Only counts and the first and last instants are kept,
   * so folding one more record is O(1): a shared shift gathers thousands. (A second record under one
   * assistance id never reaches the decider: its event ids derive from that id, see the command log.)
   */
  assistances: number;
  firstAssistanceAt: Instant | null;
  lastAssistanceAt: Instant | null;
}> | null;

export const initialShiftState: ShiftState = null;

export function evolveShift(state: ShiftState, event: ShiftEvent): ShiftState {
  switch (event.type) {
    case 'ShiftStarted':
      return {
        ...event.data,
        endedAt: null,
        status: lifecycleAfter(event.type, false),
        verifiedBy: null,
        rejectedBy: null,
        rejectionReason: null,
        assistances: 0,
        firstAssistanceAt: null,
        lastAssistanceAt: null,
      };
    case 'CitizenAssisted': {
      if (!state) return state;
      const at = event.data.occurredAt;
      const first = state.firstAssistanceAt;
      const last = state.lastAssistanceAt;
      return {
        ...state,
        assistances: state.assistances + 1,
        firstAssistanceAt: first === null || instantMillis(at) < instantMillis(first) ? at : first,
        lastAssistanceAt: last === null || instantMillis(at) > instantMillis(last) ? at : last,
      };
    }
    case 'ShiftEnded':
      return (
        state && {
          ...state,
          endedAt: event.data.endedAt,
          status: lifecycleAfter(event.type, true),
        }
      );
    case 'ShiftCorrected': {
      if (!state) return state;
      const endedAt = event.data.endedAt ?? state.endedAt;
      // A corrected shift must be looked at again: any earlier verdict is cleared.
      return {
        ...state,
        startedAt: event.data.startedAt ?? state.startedAt,
        endedAt,
        status: lifecycleAfter(event.type, endedAt !== null),
        verifiedBy: null,
        rejectedBy: null,
        rejectionReason: null,
      };
    }
    case 'ShiftVerified':
      return (
        state && {
          ...state,
          status: lifecycleAfter(event.type, true),
          verifiedBy: event.data.verifiedBy,
        }
      );
    case 'ShiftRejected':
      return (
        state && {
          ...state,
          status: lifecycleAfter(event.type, true),
          rejectedBy: event.data.rejectedBy,
          rejectionReason: event.data.reason,
        }
      );
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}
