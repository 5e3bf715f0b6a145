import { Conflict, DomainRuleViolation, NotFound } from '../common/errors.js';
import type { StartShift } from './shift.commands.js';
import { cardDrive, shift, started } from '../testing/shift-fixtures.js';

const start = (startedAt: string, data: Partial<StartShift['data']> = {}): StartShift => ({
  type: 'StartShift',
  data: {
    shiftId: 's1',
    memberId: 'member-an',
    campaignId: null,
    location: 'Ward 3 service centre',
    startedAt,
    ...data,
  },
});

describe('starting a shift', () => {
  it('records ShiftStarted for an enrolled member', () => {
    shift
      .given([])
      .when(start('2025-08-10T08:00:00+07:00'))
      .then([started('2025-08-10T08:00:00+07:00')]);
  });

  it('refuses an instant without an offset', () => {
    shift
      .given([])
      .when(start('2025-08-10T08:00:00'))
      .thenThrows(DomainRuleViolation, 'invalid_instant');
  });

  it('accepts a start up to 5 minutes ahead of now and refuses one later', () => {
    shift
      .given([])
      .when(start('2025-08-10T12:05:00+07:00'))
      .then([started('2025-08-10T12:05:00+07:00')]);
    shift
      .given([])
      .when(start('2025-08-10T12:05:01+07:00'))
      .thenThrows(DomainRuleViolation, 'in_the_future');
  });

  it('honours a configured future tolerance', () => {
    shift
      .given([])
      .when(start('2025-08-10T12:03:00+07:00'), { futureToleranceMinutes: 1 })
      .thenThrows(DomainRuleViolation, 'in_the_future');
  });

  it('accepts a shift typed in days late', () => {
    shift
      .given([])
      .when(start('2025-08-07T08:00:00+07:00'))
      .then([started('2025-08-07T08:00:00+07:00')]);
  });

  it('refuses an unknown member, a blank location and an id already used', () => {
    shift
      .given([])
      .when(start('2025-08-10T08:00:00+07:00'), { memberExists: false })
      .thenThrows(NotFound, 'member_not_found');
    shift
      .given([])
      .when(start('2025-08-10T08:00:00+07:00'), { memberErased: true })
      .thenThrows(DomainRuleViolation, 'member_erased');
    shift
      .given([])
      .when(start('2025-08-10T08:00:00+07:00', { location: '  ' }))
      .thenThrows(DomainRuleViolation, 'location_required');
    shift
      .given([started()])
      .when(start('2025-08-10T08:00:00+07:00'))
      .thenThrows(Conflict, 'shift_already_started');
  });

  it('checks the campaign: unknown is 404, closed is refused', () => {
    const command = start('2025-08-10T08:00:00+07:00', { campaignId: 'c1' });
    shift.given([]).when(command).thenThrows(NotFound, 'campaign_not_found');
    shift
      .given([])
      .when(command, { campaign: { ...cardDrive, closed: true } })
      .thenThrows(DomainRuleViolation, 'campaign_closed');
    shift
      .given([])
      .when(command, { campaign: cardDrive })
      .then([started('2025-08-10T08:00:00+07:00', 'c1')]);
  });

  it("takes a campaign of the member's unit or an ancestor, not of a neighbour or a subunit", () => {
    const command = start('2025-08-10T08:00:00+07:00', { campaignId: 'c1' });
    for (const unitId of ['province', 'branch-1'])
      shift
        .given([])
        .when(command, { campaign: { ...cardDrive, unitId } })
        .then([started('2025-08-10T08:00:00+07:00', 'c1')]);
    for (const unitId of ['ward-4', 'branch-1-team'])
      shift
        .given([])
        .when(command, { campaign: { ...cardDrive, unitId } })
        .thenThrows(DomainRuleViolation, 'campaign_outside_branch');
  });

  it('refuses a start inside another shift of the member', () => {
    const memberShifts = [
      {
        shiftId: 's0',
        startedAt: '2025-08-10T07:00:00+07:00',
        endedAt: '2025-08-10T09:00:00+07:00',
      },
    ];
    const error = shift
      .given([])
      .when(start('2025-08-10T08:59:59+07:00'), { memberShifts })
      .thenThrows(DomainRuleViolation, 'shift_overlaps');
    expect(error.message).toContain('s0');
  });

  it('accepts a start exactly when the previous shift ended (back to back)', () => {
    const memberShifts = [
      {
        shiftId: 's0',
        startedAt: '2025-08-10T07:00:00+07:00',
        endedAt: '2025-08-10T08:00:00+07:00',
      },
    ];
    shift.given([]).when(start('2025-08-10T08:00:00+07:00'), { memberShifts }).then([started()]);
  });

  it('refuses a start while another shift is still open, even one started later', () => {
    const open = (startedAt: string) => [{ shiftId: 's0', startedAt, endedAt: null }];
    shift
      .given([])
      .when(start('2025-08-10T08:00:00+07:00'), { memberShifts: open('2025-08-10T07:00:00+07:00') })
      .thenThrows(DomainRuleViolation, 'shift_overlaps');
    shift
      .given([])
      .when(start('2025-08-10T08:00:00+07:00'), { memberShifts: open('2025-08-10T10:00:00+07:00') })
      .thenThrows(DomainRuleViolation, 'shift_overlaps');
  });

  it("accepts a shift typed in late that starts before the member's later, finished shifts", () => {
    // DESIGN.md: facts count on their own day however late they are recorded; the new shift starts
    // inside no other shift and none is open, so only its end can decide an overlap.
    const memberShifts = [
      {
        shiftId: 's0',
        startedAt: '2025-08-12T07:00:00+07:00',
        endedAt: '2025-08-12T11:00:00+07:00',
      },
    ];
    shift.given([]).when(start('2025-08-10T08:00:00+07:00'), { memberShifts }).then([started()]);
  });

  it('compares instants, not strings, across offsets', () => {
    // 01:30Z is 08:30 in Ho Chi Minh City, inside 08:00–09:00 there.
    const memberShifts = [
      {
        shiftId: 's0',
        startedAt: '2025-08-10T08:00:00+07:00',
        endedAt: '2025-08-10T09:00:00+07:00',
      },
    ];
    shift
      .given([])
      .when(start('2025-08-10T01:30:00Z'), { memberShifts })
      .thenThrows(DomainRuleViolation, 'shift_overlaps');
  });
});
