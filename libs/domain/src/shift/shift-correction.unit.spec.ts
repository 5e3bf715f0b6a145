import { foldEvents } from '../common/decider.js';
import { DomainRuleViolation, NotFound } from '../common/errors.js';
import type { CorrectShift } from './shift.commands.js';
import { shiftDecider } from './shift.decider.js';
import type { ShiftCorrected } from './shift.events.js';
import { assisted, ended, rejected, shift, started, verified } from '../testing/shift-fixtures.js';

const correct = (data: Partial<CorrectShift['data']>): CorrectShift => ({
  type: 'CorrectShift',
  data: { shiftId: 's1', startedAt: null, endedAt: null, reason: 'forgot to end on time', ...data },
});
const corrected = (data: Partial<ShiftCorrected['data']>): ShiftCorrected => ({
  type: 'ShiftCorrected',
  data: { shiftId: 's1', startedAt: null, endedAt: null, reason: 'forgot to end on time', ...data },
});

describe('correcting a shift', () => {
  it('records ShiftCorrected with only the bounds it changes', () => {
    shift
      .given([started(), ended()])
      .when(correct({ endedAt: '2025-08-10T10:00:00+07:00' }))
      .then([corrected({ endedAt: '2025-08-10T10:00:00+07:00' })]);
  });

  it('needs a reason', () => {
    shift
      .given([started(), ended()])
      .when(correct({ endedAt: '2025-08-10T10:00:00+07:00', reason: ' ' }))
      .thenThrows(DomainRuleViolation, 'reason_required');
  });

  it('refuses an offset beyond +14:00 (values.ts): PostgreSQL cannot store +16:00', () => {
    // 2025-08-10T18:00:00+16:00 is 09:00 in Vietnam: a real moment, only its offset is out of range
    shift
      .given([started(), ended()])
      .when(correct({ startedAt: '2025-08-10T18:00:00+16:00' }))
      .thenThrows(DomainRuleViolation, 'invalid_instant');
  });

  it('refuses a reason that is not valid Unicode', () => {
    shift
      .given([started(), ended()])
      .when(correct({ endedAt: '2025-08-10T10:00:00+07:00', reason: 'sai giờ \uDC00' }))
      .thenThrows(DomainRuleViolation, 'reason_invalid');
  });

  it('needs startedAt, endedAt or both', () => {
    shift
      .given([started(), ended()])
      .when(correct({}))
      .thenThrows(DomainRuleViolation, 'correction_empty');
  });

  it('sends a verified or rejected shift back to pending verification', () => {
    for (const verdict of [verified, rejected('not there')]) {
      const events = [
        started(),
        ended(),
        verdict,
        corrected({ startedAt: '2025-08-10T08:30:00+07:00' }),
      ];
      const state = foldEvents(shiftDecider, events);
      expect(state).toMatchObject({
        status: 'pending',
        verifiedBy: null,
        rejectedBy: null,
        startedAt: '2025-08-10T08:30:00+07:00',
      });
    }
  });

  it('ends an open (overdue) shift when it gives endedAt', () => {
    const since = '2025-08-08T08:00:00+07:00';
    shift
      .given([started(since)])
      .when(correct({ endedAt: '2025-08-08T17:00:00+07:00' }))
      .then([corrected({ endedAt: '2025-08-08T17:00:00+07:00' })]);
    const state = foldEvents(shiftDecider, [
      started(since),
      corrected({ endedAt: '2025-08-08T17:00:00+07:00' }),
    ]);
    expect(state).toMatchObject({ status: 'pending', endedAt: '2025-08-08T17:00:00+07:00' });
  });

  it('keeps an open shift open when it only moves the start', () => {
    const state = foldEvents(shiftDecider, [
      started(),
      corrected({ startedAt: '2025-08-10T09:00:00+07:00' }),
    ]);
    expect(state).toMatchObject({ status: 'open', endedAt: null });
  });

  it('refuses a corrected span that ends before it starts or lasts too long', () => {
    shift
      .given([started(), ended()])
      .when(correct({ startedAt: '2025-08-10T11:30:00+07:00' }))
      .thenThrows(DomainRuleViolation, 'shift_ends_before_start');
    shift
      .given([started(), ended()])
      .when(correct({ startedAt: '2025-08-09T18:00:00+07:00' }))
      .thenThrows(DomainRuleViolation, 'shift_too_long');
  });

  it('refuses corrected times in the future or without an offset', () => {
    shift
      .given([started(), ended()])
      .when(correct({ endedAt: '2025-08-10T13:00:00+07:00' }))
      .thenThrows(DomainRuleViolation, 'in_the_future');
    shift
      .given([started(), ended()])
      .when(correct({ endedAt: '2025-08-10 10:00' }))
      .thenThrows(DomainRuleViolation, 'invalid_instant');
  });

  it('refuses a correction that would overlap another shift of the member', () => {
    const memberShifts = [
      {
        shiftId: 's0',
        startedAt: '2025-08-10T06:00:00+07:00',
        endedAt: '2025-08-10T07:30:00+07:00',
      },
    ];
    shift
      .given([started(), ended()])
      .when(correct({ startedAt: '2025-08-10T07:00:00+07:00' }), { memberShifts })
      .thenThrows(DomainRuleViolation, 'shift_overlaps');
  });

  it('refuses a correction that would leave recorded assistance outside the shift', () => {
    const given = shift.given([
      started(),
      assisted('2025-08-10T08:10:00+07:00'),
      assisted('2025-08-10T10:50:00+07:00', 'a2'),
      ended(),
    ]);
    given
      .when(correct({ startedAt: '2025-08-10T08:15:00+07:00' }))
      .thenThrows(DomainRuleViolation, 'assistance_outside_shift');
    given
      .when(correct({ endedAt: '2025-08-10T10:45:00+07:00' }))
      .thenThrows(DomainRuleViolation, 'assistance_outside_shift');
  });

  it('refuses an unknown shift', () => {
    shift
      .given([])
      .when(correct({ endedAt: '2025-08-10T10:00:00+07:00' }))
      .thenThrows(NotFound, 'shift_not_found');
  });
});
