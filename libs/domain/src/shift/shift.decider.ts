import type { Decider } from '../common/decider.js';
import { Conflict, DomainRuleViolation, Forbidden, NotFound } from '../common/errors.js';
import type { Instant } from '../common/event.js';
import { instantMillis } from '../common/instant.js';
import { requireNotInFuture, requireText } from '../common/rules.js';
import { serviceTypes } from './service-types.js';
import type { RecordAssistance, ShiftCommand } from './shift.commands.js';
import type { ShiftEvent } from './shift.events.js';
import {
  maxHoursOf,
  requireAssistanceInside,
  requireNoOverlap,
  requireValidDuration,
  type ShiftContext,
} from './shift-rules.js';

/** Where a shift is in its life; `overdue` is not stored, it is derived from time (see shift-status). */
export type ShiftLifecycle = 'open' | 'pending' | 'verified' | 'rejected';

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
  assistanceIds: readonly string[];
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
        status: 'open',
        verifiedBy: null,
        rejectedBy: null,
        rejectionReason: null,
        assistanceIds: [],
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
        assistanceIds: [...state.assistanceIds, event.data.assistanceId],
        firstAssistanceAt: first === null || instantMillis(at) < instantMillis(first) ? at : first,
        lastAssistanceAt: last === null || instantMillis(at) > instantMillis(last) ? at : last,
      };
    }
    case 'ShiftEnded':
      return state && { ...state, endedAt: event.data.endedAt, status: 'pending' };
    case 'ShiftCorrected': {
      if (!state) return state;
      const endedAt = event.data.endedAt ?? state.endedAt;
      // A corrected shift must be looked at again: any earlier verdict is cleared.
      return {
        ...state,
        startedAt: event.data.startedAt ?? state.startedAt,
        endedAt,
        status: endedAt === null ? 'open' : 'pending',
        verifiedBy: null,
        rejectedBy: null,
        rejectionReason: null,
      };
    }
    case 'ShiftVerified':
      return state && { ...state, status: 'verified', verifiedBy: event.data.verifiedBy };
    case 'ShiftRejected':
      return (
        state && {
          ...state,
          status: 'rejected',
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
        throw new NotFound('member_not_found', `member ${memberId} does not exist`);
      }
      const location = requireText(command.data.location, 'location');
      requireNotInFuture(startedAt, 'startedAt', context.now, tolerance);
      if (campaignId !== null) requireOpenCampaign(campaignId, context);
      requireNoOverlap({ shiftId, startedAt, endedAt: null }, context.memberShifts);
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
      const reason = requireText(command.data.reason, 'reason');
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
      requireNoOverlap(span, context.memberShifts);
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
      const reason = requireText(command.data.reason, 'reason');
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

function recordAssistance(
  command: RecordAssistance,
  shift: NonNullable<ShiftState>,
  context: ShiftContext,
): ShiftEvent {
  const { assistanceId, serviceType, citizens, occurredAt } = command.data;
  if (shift.assistanceIds.includes(assistanceId)) {
    throw new Conflict(
      'assistance_already_recorded',
      `assistance ${assistanceId} is already recorded`,
    );
  }
  if (!serviceTypes.includes(serviceType)) {
    throw new DomainRuleViolation(
      'service_type_invalid',
      `unknown service type ${JSON.stringify(serviceType)}; known: ${serviceTypes.join(', ')}`,
    );
  }
  if (!Number.isInteger(citizens) || citizens < 1) {
    throw new DomainRuleViolation(
      'citizens_invalid',
      `citizens must be a whole number ≥ 1 (got ${citizens})`,
    );
  }
  const at = requireNotInFuture(
    occurredAt,
    'occurredAt',
    context.now,
    context.futureToleranceMinutes,
  );
  const before = at < instantMillis(shift.startedAt);
  const after = shift.endedAt !== null && at > instantMillis(shift.endedAt);
  if (before || after) {
    throw new DomainRuleViolation(
      'assistance_outside_shift',
      `assistance at ${occurredAt} is outside shift ${shift.shiftId}, which ${
        shift.endedAt === null
          ? `started ${shift.startedAt} and is still open`
          : `ran ${shift.startedAt} – ${shift.endedAt}`
      }`,
    );
  }
  if (shift.campaignId !== null) {
    const campaign = requireOpenCampaign(shift.campaignId, context);
    if (campaign.serviceTypes !== null && !campaign.serviceTypes.includes(serviceType)) {
      throw new DomainRuleViolation(
        'service_type_not_in_campaign',
        `campaign ${shift.campaignId} counts only ${campaign.serviceTypes.join(', ')}, not ${serviceType}`,
      );
    }
  }
  const citizenRef = command.data.citizenRef?.trim() || null;
  return {
    type: 'CitizenAssisted',
    data: {
      assistanceId,
      shiftId: shift.shiftId,
      memberId: shift.memberId,
      campaignId: shift.campaignId,
      serviceType,
      citizens,
      occurredAt,
      citizenRef,
    },
  };
}

function requireShift(state: ShiftState, shiftId: string): NonNullable<ShiftState> {
  if (!state) throw new NotFound('shift_not_found', `shift ${shiftId} does not exist`);
  return state;
}

function requireOpenCampaign(campaignId: string, context: ShiftContext) {
  if (!context.campaign)
    throw new NotFound('campaign_not_found', `campaign ${campaignId} does not exist`);
  if (context.campaign.closed) {
    throw new DomainRuleViolation(
      'campaign_closed',
      `campaign ${campaignId} is closed: nothing more is recorded in it`,
    );
  }
  return context.campaign;
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
