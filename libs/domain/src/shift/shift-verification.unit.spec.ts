import { Conflict, DomainRuleViolation, Forbidden, NotFound } from '../common/errors.js';
import type { RejectShift, VerifyShift } from './shift.commands.js';
import {
  byCoordinator,
  ended,
  rejected,
  shift,
  started,
  verified,
} from '../testing/shift-fixtures.js';

const verify: VerifyShift = { type: 'VerifyShift', data: { shiftId: 's1' } };
const reject = (reason = 'nobody saw this shift'): RejectShift => ({
  type: 'RejectShift',
  data: { shiftId: 's1', reason },
});
const corrected = {
  type: 'ShiftCorrected' as const,
  data: { shiftId: 's1', startedAt: null, endedAt: '2025-08-10T10:00:00+07:00', reason: 'typo' },
};

describe('verifying a shift', () => {
  it('records ShiftVerified by the acting coordinator', () => {
    shift.given([started(), ended()]).when(verify, byCoordinator).then([verified]);
  });

  it('is forbidden on one’s own shift, whatever the role', () => {
    shift
      .given([started(), ended()])
      .when(verify, { actorRole: 'coordinator' })
      .thenThrows(Forbidden, 'own_shift');
    shift
      .given([started(), ended()])
      .when(verify, { actorRole: 'operator' })
      .thenThrows(Forbidden, 'own_shift');
  });

  it('refuses an open shift', () => {
    shift
      .given([started()])
      .when(verify, byCoordinator)
      .thenThrows(DomainRuleViolation, 'shift_open');
  });

  it('refuses a shift already verified or rejected (409)', () => {
    shift
      .given([started(), ended(), verified])
      .when(verify, byCoordinator)
      .thenThrows(Conflict, 'shift_already_verified');
    shift
      .given([started(), ended(), rejected()])
      .when(verify, byCoordinator)
      .thenThrows(Conflict, 'shift_already_rejected');
  });

  it('accepts a new verdict after a correction', () => {
    shift
      .given([started(), ended(), verified, corrected])
      .when(verify, byCoordinator)
      .then([verified]);
  });

  it('refuses an unknown shift', () => {
    shift.given([]).when(verify, byCoordinator).thenThrows(NotFound, 'shift_not_found');
  });
});

describe('rejecting a shift', () => {
  it('records ShiftRejected with the reason', () => {
    shift.given([started(), ended()]).when(reject(), byCoordinator).then([rejected()]);
  });

  it('needs a reason', () => {
    shift
      .given([started(), ended()])
      .when(reject('  '), byCoordinator)
      .thenThrows(DomainRuleViolation, 'reason_required');
  });

  it('is forbidden on one’s own shift', () => {
    shift.given([started(), ended()]).when(reject()).thenThrows(Forbidden, 'own_shift');
  });

  it('refuses an open shift and a shift already judged', () => {
    shift
      .given([started()])
      .when(reject(), byCoordinator)
      .thenThrows(DomainRuleViolation, 'shift_open');
    shift
      .given([started(), ended(), rejected()])
      .when(reject(), byCoordinator)
      .thenThrows(Conflict, 'shift_already_rejected');
    shift
      .given([started(), ended(), verified])
      .when(reject(), byCoordinator)
      .thenThrows(Conflict, 'shift_already_verified');
  });
});
