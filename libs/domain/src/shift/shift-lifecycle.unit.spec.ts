import { counts, isLifecycleEvent, lifecycleAfter, shiftTimesAfter } from './shift-lifecycle.js';

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

  it('moves a stored shift in time: an end, a correction of what it carries, then a verdict', () => {
    // given an open shift as a table stores it
    const open = {
      started_at: '2025-08-10T01:00:00.000Z',
      ended_at: null,
      status: 'open' as const,
    };
    // when it ends, is corrected (its start only, the other time unreadable) and is then verified
    const ended = shiftTimesAfter(open, {
      type: 'ShiftEnded',
      data: { endedAt: '2025-08-10T12:00:00+07:00' },
    });
    const corrected = shiftTimesAfter(ended, {
      type: 'ShiftCorrected',
      data: { startedAt: '2025-08-10T07:30:00+07:00', endedAt: 'not a time' },
    });
    const verified = shiftTimesAfter(corrected, { type: 'ShiftVerified' });
    // then the times are read as instants, what the correction does not carry readably is kept, and
    // the status follows the machine
    expect(ended).toEqual({ ...open, ended_at: '2025-08-10T05:00:00.000Z', status: 'pending' });
    expect(corrected).toEqual({
      started_at: '2025-08-10T00:30:00.000Z',
      ended_at: '2025-08-10T05:00:00.000Z',
      status: 'pending',
    });
    expect(verified).toEqual({ ...corrected, status: 'verified' });
  });
});
