import { counts, isLifecycleEvent, lifecycleAfter } from './shift-lifecycle.js';

describe('the shift status machine', () => {
  it('opens a started shift and sends an ended one to be verified', () => {
    expect(lifecycleAfter('ShiftStarted', false)).toBe('open');
    expect(lifecycleAfter('ShiftEnded', true)).toBe('pending');
  });

  it('sends a corrected shift back to pending, or open while it has no end', () => {
    expect(lifecycleAfter('ShiftCorrected', true)).toBe('pending');
    expect(lifecycleAfter('ShiftCorrected', false)).toBe('open');
  });

  it('decides a shift on verification or rejection', () => {
    expect(lifecycleAfter('ShiftVerified', true)).toBe('verified');
    expect(lifecycleAfter('ShiftRejected', true)).toBe('rejected');
  });

  it('is moved only by lifecycle events', () => {
    expect(isLifecycleEvent('ShiftCorrected')).toBe(true);
    expect(isLifecycleEvent('CitizenAssisted')).toBe(false);
  });

  it('counts citizens unless rejected, worked hours once ended, verified hours once verified', () => {
    expect(counts('open')).toEqual({ citizens: true, workedHours: false, verifiedHours: false });
    expect(counts('pending')).toEqual({ citizens: true, workedHours: true, verifiedHours: false });
    expect(counts('verified')).toEqual({ citizens: true, workedHours: true, verifiedHours: true });
    expect(counts('rejected')).toEqual({
      citizens: false,
      workedHours: false,
      verifiedHours: false,
    });
  });
});
