import { DomainRuleViolation, NotFound } from '../common/errors.js';
import type { EndShift } from './shift.commands.js';
import { assisted, ended, shift, started } from '../testing/shift-fixtures.js';

const end = (endedAt: string): EndShift => ({ type: 'EndShift', data: { shiftId: 's1', endedAt } });

describe('ending a shift', () => {
  it('records ShiftEnded', () => {
    shift
      .given([started()])
      .when(end('2025-08-10T11:00:00+07:00'))
      .then([ended('2025-08-10T11:00:00+07:00')]);
  });

  it('refuses an unknown shift (404) and a shift that is not open (422)', () => {
    shift.given([]).when(end('2025-08-10T11:00:00+07:00')).thenThrows(NotFound, 'shift_not_found');
    shift
      .given([started(), ended()])
      .when(end('2025-08-10T11:30:00+07:00'))
      .thenThrows(DomainRuleViolation, 'shift_not_open');
  });

  it('refuses an end at or before the start', () => {
    shift
      .given([started()])
      .when(end('2025-08-10T08:00:00+07:00'))
      .thenThrows(DomainRuleViolation, 'shift_ends_before_start');
    shift
      .given([started()])
      .when(end('2025-08-10T07:00:00+07:00'))
      .thenThrows(DomainRuleViolation, 'shift_ends_before_start');
  });

  it('accepts exactly the maximum length and refuses a second more', () => {
    const since = '2025-08-09T18:00:00+07:00';
    shift
      .given([started(since)])
      .when(end('2025-08-10T10:00:00+07:00'))
      .then([ended('2025-08-10T10:00:00+07:00')]);
    shift
      .given([started(since)])
      .when(end('2025-08-10T10:00:01+07:00'))
      .thenThrows(DomainRuleViolation, 'shift_too_long');
  });

  it('uses the configured maximum', () => {
    shift
      .given([started()])
      .when(end('2025-08-10T11:00:00+07:00'), { maxShiftHours: 2 })
      .thenThrows(DomainRuleViolation, 'shift_too_long');
  });

  it('refuses an end in the future', () => {
    shift
      .given([started()])
      .when(end('2025-08-10T12:10:00+07:00'))
      .thenThrows(DomainRuleViolation, 'in_the_future');
  });

  it('refuses an end inside, or a span around, another shift of the member', () => {
    const inside = [
      {
        shiftId: 's0',
        startedAt: '2025-08-10T10:00:00+07:00',
        endedAt: '2025-08-10T12:00:00+07:00',
      },
    ];
    shift
      .given([started()])
      .when(end('2025-08-10T10:30:00+07:00'), { memberShifts: inside })
      .thenThrows(DomainRuleViolation, 'shift_overlaps');
    const around = [
      {
        shiftId: 's0',
        startedAt: '2025-08-10T09:00:00+07:00',
        endedAt: '2025-08-10T09:30:00+07:00',
      },
    ];
    shift
      .given([started()])
      .when(end('2025-08-10T10:00:00+07:00'), { memberShifts: around })
      .thenThrows(DomainRuleViolation, 'shift_overlaps');
  });

  it('ignores the shift itself in the member list', () => {
    const itself = [{ shiftId: 's1', startedAt: '2025-08-10T08:00:00+07:00', endedAt: null }];
    shift
      .given([started()])
      .when(end('2025-08-10T11:00:00+07:00'), { memberShifts: itself })
      .then([ended()]);
  });

  it('refuses an end before assistance already recorded', () => {
    shift
      .given([started(), assisted('2025-08-10T10:00:00+07:00')])
      .when(end('2025-08-10T09:59:00+07:00'))
      .thenThrows(DomainRuleViolation, 'assistance_outside_shift');
  });
});
