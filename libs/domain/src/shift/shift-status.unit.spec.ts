import { creditedHours, shiftStatus, type ShiftTimes } from './shift-status.js';

const now = '2025-08-10T12:00:00+07:00';
const open = (startedAt: string): ShiftTimes => ({ status: 'open', startedAt, endedAt: null });
const finished = (status: 'pending' | 'verified' | 'rejected'): ShiftTimes => ({
  status,
  startedAt: '2025-08-10T07:00:00+07:00',
  endedAt: '2025-08-10T10:30:00+07:00',
});

describe('shift status', () => {
  it('is open until the maximum length has passed, then overdue', () => {
    expect(shiftStatus(open('2025-08-09T20:00:00+07:00'), now)).toBe('open'); // 16 h exactly
    expect(shiftStatus(open('2025-08-09T19:59:59+07:00'), now)).toBe('overdue');
    expect(shiftStatus(open('2025-08-10T09:00:00+07:00'), now, 2)).toBe('overdue');
  });

  it('keeps the recorded status of a finished shift', () => {
    expect(shiftStatus(finished('pending'), now)).toBe('pending');
    expect(shiftStatus(finished('verified'), now)).toBe('verified');
    expect(shiftStatus(finished('rejected'), now)).toBe('rejected');
  });
});

describe('credited hours', () => {
  it('counts a finished shift’s length, and nothing for a rejected one', () => {
    expect(creditedHours(finished('pending'), now)).toBe(3.5);
    expect(creditedHours(finished('verified'), now)).toBe(3.5);
    expect(creditedHours(finished('rejected'), now)).toBe(0);
  });

  it('counts an open shift so far, and nothing once it is overdue', () => {
    expect(creditedHours(open('2025-08-10T10:30:00+07:00'), now)).toBe(1.5);
    expect(creditedHours(open('2025-08-09T12:00:00+07:00'), now)).toBe(0);
  });
});
