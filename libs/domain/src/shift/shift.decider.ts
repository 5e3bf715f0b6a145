import type { Decider } from '../common/decider.js';
import { Conflict, DomainRuleViolation, Forbidden, NotFound } from '../common/errors.js';
import { requireNotInFuture, requireText } from '../common/rules.js';
import { memberNotFound } from '../member/member.decider.js';
import type { ShiftCommand } from './shift.commands.js';
import { recordAssistance } from './shift-assistance.js';
import type { ShiftEvent } from './shift.events.js';
import { evolveShift, initialShiftState, type ShiftState } from './shift.state.js';
import {
  maxHoursOf,
  requireAssistanceInside,
  requireCampaignOfBranch,
  requireFreeStart,
  requireNoOverlap,
  requireOpenCampaign,
  requireValidDuration,
  type ShiftContext,
} from './shift-rules.js';

export { evolveShift, initialShiftState, type ShiftState } from './shift.state.js';

export function decideShift(
  command: ShiftCommand,
  state: ShiftState,
  context: ShiftContext,
): ShiftEvent[] {
  const tolerance = context.futureToleranceMinutes;
  switch (command.type) {
    case 'StartShift': {
      const { shiftId, memberId, campaignId, startedAt } = command.data;
      if (state) throw new Conflict('shift_already_started', `shift ${shiftId} already exists`);
      if (context.memberExists !== true) {
        throw memberNotFound(memberId);
      }
      // Erasure is how a member leaves for good: new work under a name nobody can read back would be
      // hours no auditor can attribute. Shifts already under way can still be ended and judged.
      if (context.memberErased === true) {
        throw new DomainRuleViolation(
          'member_erased',
          `the personal data of member ${memberId} is erased: no new shifts are recorded for them`,
        );
      }
      const location = requireText(command.data.location, 'location', 'location');
      requireNotInFuture(startedAt, 'startedAt', context.now, tolerance);
      if (campaignId !== null)
        requireCampaignOfBranch(campaignId, requireOpenCampaign(campaignId, context), context);
      requireFreeStart(shiftId, startedAt, context.memberShifts);
      return [
        { type: 'ShiftStarted', data: { shiftId, memberId, campaignId, location, startedAt } },
      ];
    }
    case 'RecordAssistance':
      return [recordAssistance(command, requireShift(state, command.data.shiftId), context)];
    case 'EndShift': {
      const shift = requireShift(state, command.data.shiftId);
      const { endedAt } = command.data;
      if (shift.status !== 'open') {
        throw new DomainRuleViolation(
          'shift_not_open',
          `shift ${shift.shiftId} is not open: it already ended at ${shift.endedAt}`,
        );
      }
      requireNotInFuture(endedAt, 'endedAt', context.now, tolerance);
      requireValidDuration(shift.startedAt, endedAt, maxHoursOf(context));
      const span = { shiftId: shift.shiftId, startedAt: shift.startedAt, endedAt };
      requireAssistanceInside(span, shift.firstAssistanceAt, shift.lastAssistanceAt);
      requireNoOverlap(span, context.memberShifts);
      return [{ type: 'ShiftEnded', data: { shiftId: shift.shiftId, endedAt } }];
    }
    case 'CorrectShift': {
      const shift = requireShift(state, command.data.shiftId);
      const reason = requireText(command.data.reason, 'reason', 'reason');
      const { startedAt, endedAt } = command.data;
      if (startedAt == null && endedAt == null) {
        throw new DomainRuleViolation(
          'correction_empty',
          'a correction must give startedAt, endedAt or both',
        );
      }
      if (startedAt != null) requireNotInFuture(startedAt, 'startedAt', context.now, tolerance);
      if (endedAt != null) requireNotInFuture(endedAt, 'endedAt', context.now, tolerance);
      const span = {
        shiftId: shift.shiftId,
        startedAt: startedAt ?? shift.startedAt,
        endedAt: endedAt ?? shift.endedAt,
      };
      if (span.endedAt !== null)
        requireValidDuration(span.startedAt, span.endedAt, maxHoursOf(context));
      requireAssistanceInside(span, shift.firstAssistanceAt, shift.lastAssistanceAt);
      if (span.endedAt === null)
        requireFreeStart(span.shiftId, span.startedAt, context.memberShifts);
      else requireNoOverlap(span, context.memberShifts);
      return [
        {
          type: 'ShiftCorrected',
          data: {
            shiftId: shift.shiftId,
            startedAt: startedAt ?? null,
            endedAt: endedAt ?? null,
            reason,
          },
        },
      ];
    }
    case 'VerifyShift': {
      const shift = requireJudgeable(state, command.data.shiftId, context.actorId, 'verify');
      return [
        { type: 'ShiftVerified', data: { shiftId: shift.shiftId, verifiedBy: context.actorId } },
      ];
    }
    case 'RejectShift': {
      const shift = requireJudgeable(state, command.data.shiftId, context.actorId, 'reject');
      const reason = requireText(command.data.reason, 'reason', 'reason');
      return [
        {
          type: 'ShiftRejected',
          data: { shiftId: shift.shiftId, rejectedBy: context.actorId, reason },
        },
      ];
    }
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

/** The answer to a command on a shift nobody started (the handlers answer it for an empty stream). */
export const shiftNotFound = (shiftId: string) =>
  new NotFound('shift_not_found', `shift ${shiftId} does not exist`);

function requireShift(state: ShiftState, shiftId: string): NonNullable<ShiftState> {
  if (!state) throw shiftNotFound(shiftId);
  return state;
}

/** Verification and rejection judge a finished shift, never one's own, and only once. */
function requireJudgeable(state: ShiftState, shiftId: string, actorId: string, verb: string) {
  const shift = requireShift(state, shiftId);
  if (shift.memberId === actorId) {
    throw new Forbidden('own_shift', `nobody may ${verb} their own shift`);
  }
  if (shift.status === 'open') {
    throw new DomainRuleViolation(
      'shift_open',
      `shift ${shiftId} is still open: end it before you ${verb} it`,
    );
  }
  if (shift.status !== 'pending') {
    throw new Conflict(
      `shift_already_${shift.status}`,
      `shift ${shiftId} is already ${shift.status}; a correction sends it back for a new verdict`,
    );
  }
  return shift;
}

export const shiftDecider: Decider<ShiftCommand, ShiftEvent, ShiftState, ShiftContext> = {
  decide: decideShift,
  evolve: evolveShift,
  initialState: initialShiftState,
};
