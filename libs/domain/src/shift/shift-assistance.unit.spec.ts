import { Conflict, DomainRuleViolation, NotFound } from '../common/errors.js';
import type { RecordAssistance } from './shift.commands.js';
import { maxAssistancesPerShift } from './shift-assistance.js';
import {
  assisted,
  cardDrive,
  ended,
  rejected,
  shift,
  started,
  verified,
} from '../testing/shift-fixtures.js';

const assist = (
  occurredAt: string,
  data: Partial<RecordAssistance['data']> = {},
): RecordAssistance => ({
  type: 'RecordAssistance',
  data: {
    assistanceId: 'a1',
    shiftId: 's1',
    serviceType: 'eid_activation',
    citizens: 1,
    occurredAt,
    citizenRef: null,
    ...data,
  },
});

describe('recording assistance on a shift', () => {
  it(`given a shift holding ${maxAssistancesPerShift} records, when one more is recorded, then 422 shift_assistance_full; one fewer takes it`, () => {
    const history = (n: number) =>
      Array.from({ length: n }, (_, i) => assisted('2025-08-10T09:00:00+07:00', `a-${i}`));
    const start = started('2025-08-10T08:00:00+07:00');
    shift
      .given([start, ...history(maxAssistancesPerShift)])
      .when(assist('2025-08-10T09:30:00+07:00', { assistanceId: 'a-last' }))
      .thenThrows(DomainRuleViolation, 'shift_assistance_full');
    shift
      .given([start, ...history(maxAssistancesPerShift - 1)])
      .when(assist('2025-08-10T09:30:00+07:00', { assistanceId: 'a-last' }))
      .then([assisted('2025-08-10T09:30:00+07:00', 'a-last')]);
  });

  it('records CitizenAssisted with the member and campaign of the shift', () => {
    shift
      .given([started('2025-08-10T08:00:00+07:00', 'c1')])
      .when(assist('2025-08-10T09:00:00+07:00', { citizens: 3, citizenRef: ' ref-9 ' }), {
        campaign: cardDrive,
      })
      .then([
        {
          type: 'CitizenAssisted',
          data: {
            ...assisted('2025-08-10T09:00:00+07:00').data,
            campaignId: 'c1',
            citizens: 3,
            citizenRef: 'ref-9',
          },
        },
      ]);
  });

  it('refuses assistance on a verified or rejected shift until a correction reopens it', () => {
    const corrected = {
      type: 'ShiftCorrected' as const,
      data: {
        shiftId: 's1',
        startedAt: null,
        endedAt: '2025-08-10T11:30:00+07:00',
        reason: 'stayed longer',
      },
    };
    shift
      .given([started(), ended(), verified])
      .when(assist('2025-08-10T09:00:00+07:00'))
      .thenThrows(Conflict, 'shift_already_verified');
    shift
      .given([started(), ended(), rejected()])
      .when(assist('2025-08-10T09:00:00+07:00'))
      .thenThrows(Conflict, 'shift_already_rejected');
    shift
      .given([started(), ended(), verified, corrected])
      .when(assist('2025-08-10T09:00:00+07:00'))
      .then([assisted('2025-08-10T09:00:00+07:00')]);
  });

  it('refuses fewer than one citizen, or a fraction of one', () => {
    shift
      .given([started()])
      .when(assist('2025-08-10T09:00:00+07:00', { citizens: 0 }))
      .thenThrows(DomainRuleViolation, 'citizens_invalid');
    shift
      .given([started()])
      .when(assist('2025-08-10T09:00:00+07:00', { citizens: 1.5 }))
      .thenThrows(DomainRuleViolation, 'citizens_invalid');
  });

  it('refuses an unknown service type', () => {
    const command = assist('2025-08-10T09:00:00+07:00', { serviceType: 'teleportation' as never });
    shift.given([started()]).when(command).thenThrows(DomainRuleViolation, 'service_type_invalid');
  });

  it('refuses assistance before the shift started', () => {
    shift
      .given([started()])
      .when(assist('2025-08-10T07:59:59+07:00'))
      .thenThrows(DomainRuleViolation, 'assistance_outside_shift');
  });

  it('accepts assistance up to the end of an ended shift, and refuses it after', () => {
    shift
      .given([started(), ended()])
      .when(assist('2025-08-10T11:00:00+07:00'))
      .then([assisted('2025-08-10T11:00:00+07:00')]);
    shift
      .given([started(), ended()])
      .when(assist('2025-08-10T11:00:01+07:00'))
      .thenThrows(DomainRuleViolation, 'assistance_outside_shift');
  });

  it('accepts assistance on an open shift up to 5 minutes after now', () => {
    shift
      .given([started()])
      .when(assist('2025-08-10T12:04:00+07:00'))
      .then([assisted('2025-08-10T12:04:00+07:00')]);
    shift
      .given([started()])
      .when(assist('2025-08-10T12:06:00+07:00'))
      .thenThrows(DomainRuleViolation, 'in_the_future');
  });

  it('refuses an instant without an offset', () => {
    shift
      .given([started()])
      .when(assist('2025-08-10T09:00'))
      .thenThrows(DomainRuleViolation, 'invalid_instant');
  });

  it('refuses a service the campaign does not count, and a closed campaign', () => {
    const given = shift.given([started('2025-08-10T08:00:00+07:00', 'c1')]);
    given
      .when(assist('2025-08-10T09:00:00+07:00', { serviceType: 'e_payment' }), {
        campaign: cardDrive,
      })
      .thenThrows(DomainRuleViolation, 'service_type_not_in_campaign');
    given
      .when(assist('2025-08-10T09:00:00+07:00'), { campaign: { ...cardDrive, closed: true } })
      .thenThrows(DomainRuleViolation, 'campaign_closed');
    given.when(assist('2025-08-10T09:00:00+07:00')).thenThrows(NotFound, 'campaign_not_found');
  });

  it('counts any service in a campaign that lists none', () => {
    const command = assist('2025-08-10T09:00:00+07:00', { serviceType: 'e_payment' });
    const event = shift.given([started('2025-08-10T08:00:00+07:00', 'c1')]);
    event.when(command, { campaign: { ...cardDrive, serviceTypes: null } }).then([
      {
        type: 'CitizenAssisted',
        data: {
          ...assisted('2025-08-10T09:00:00+07:00').data,
          campaignId: 'c1',
          serviceType: 'e_payment',
        },
      },
    ]);
  });

  // An assistance id recorded twice is the command log's to answer (its events' ids derive from the
  // id, so the resend answers its first result and another body 409): the fold keeps no list of ids.
  it('refuses an unknown shift (404)', () => {
    shift
      .given([])
      .when(assist('2025-08-10T09:00:00+07:00'))
      .thenThrows(NotFound, 'shift_not_found');
  });
});
