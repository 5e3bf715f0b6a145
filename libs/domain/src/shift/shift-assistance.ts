import { DomainRuleViolation } from '../common/errors.js';
import { instantMillis } from '../common/instant.js';
import { requireNotInFuture } from '../common/rules.js';
import { serviceTypes } from './service-types.js';
import type { RecordAssistance } from './shift.commands.js';
import type { ShiftEvent } from './shift.events.js';
import type { ShiftState } from './shift.state.js';
import { requireOpenCampaign, type ShiftContext } from './shift-rules.js';

/** Assistance happens while on duty: inside the shift's span, in a campaign that is still open. */
export function recordAssistance(
  command: RecordAssistance,
  shift: NonNullable<ShiftState>,
  context: ShiftContext,
): ShiftEvent {
  const { assistanceId, serviceType, citizens, occurredAt } = command.data;
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
