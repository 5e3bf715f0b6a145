import { Conflict, DomainRuleViolation } from '../common/errors.js';
import { instantMillis } from '../common/instant.js';
import { requireNotInFuture } from '../common/rules.js';
import { serviceTypes } from './service-types.js';
import type { RecordAssistance } from './shift.commands.js';
import type { ShiftEvent } from './shift.events.js';
import type { ShiftState } from './shift.state.js';
import { maxHoursOf, requireOpenCampaign, type ShiftContext } from './shift-rules.js';

/**
 * The most assistance records one shift holds. Each is an event of the shift's stream, and the
 * stream is read whole (GET /audit/streams/:id and its verify, the hours certificate): nothing
 * bounded it, so a volunteer alone grew their own shift by 6,000 records in a minute (a 5 MB audit
 * answer; forty auditors reading it at once held the process until /health answered 503), and on
 * for ever. Ten thousand is one record every six seconds of the longest shift, on a shift several
 * volunteers share; more is a new shift.
 */
export const maxAssistancesPerShift = 10_000;

/**
 * Assistance happens while on duty: inside the shift's span, in a campaign that is still open, and
 * before the shift's verdict. A verified or rejected shift is a closed record: the coordinator judged
 * it as it stood, and assistance added afterwards would count under that verdict unseen (500 citizens
 * on a verified shift went straight into the campaign's progress). A correction sends the shift back
 * to pending, as it does for its times; then assistance may be added and judged again.
 */
export function recordAssistance(
  command: RecordAssistance,
  shift: NonNullable<ShiftState>,
  context: ShiftContext,
): ShiftEvent {
  const { assistanceId, serviceType, citizens, occurredAt } = command.data;
  if (shift.status === 'verified' || shift.status === 'rejected') {
    throw new Conflict(
      `shift_already_${shift.status}`,
      `shift ${shift.shiftId} is already ${shift.status}: assistance cannot be added under its verdict; a correction sends it back to pending first`,
    );
  }
  if (shift.assistances >= maxAssistancesPerShift) {
    throw new DomainRuleViolation(
      'shift_assistance_full',
      `shift ${shift.shiftId} holds ${shift.assistances} assistance records already, the most one shift holds (${maxAssistancesPerShift}): record further assistance on a new shift`,
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
  const start = instantMillis(shift.startedAt);
  // An open shift ends at most maxShiftHours after its start: assistance later than that lies outside
  // any end it can be given, and once recorded the shift could be ended neither after it (too long)
  // nor before it (assistance outside), staying open and overdue.
  const maxHours = maxHoursOf(context);
  const end = shift.endedAt === null ? start + maxHours * 3_600_000 : instantMillis(shift.endedAt);
  if (at < start || at > end) {
    throw new DomainRuleViolation(
      'assistance_outside_shift',
      `assistance at ${occurredAt} is outside shift ${shift.shiftId}, which ${
        shift.endedAt === null
          ? `started ${shift.startedAt} and is still open (a shift lasts at most ${maxHours} hours)`
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
