import type { OddSchema } from './common/upcasting.js';
import { readableEvent, readableEvents } from './events.js';

const stored = (type: string, data: unknown, schemaVersion = 1) => ({
  type,
  schemaVersion,
  data: data as object,
  eventId: `${type}-${JSON.stringify(data)}`,
});

describe('what a consumer needs of a stored event to use it', () => {
  it('passes over data that is not an object and events without their key, and says why', () => {
    // given events as a script may have stored them, beside normal ones
    const odd: [string, OddSchema][] = [];
    const events = [
      stored('ShiftStarted', { shiftId: 's1', memberId: 'm1' }),
      stored('ShiftEnded', null),
      stored('ShiftVerified', 'yes'),
      stored('ShiftRejected', []),
      stored('CitizenAssisted', { memberId: 'm1', citizens: 2 }),
      stored('MemberEnrolled', { memberId: 'm1' }),
      stored('UnitRegistered', { unitId: '' }),
      stored('ProgrammeAttendanceRecorded', { members: 1, citizens: 2 }, 1),
      stored('MemberEnrolled', { memberId: 'm1', unitId: 'u1' }),
    ];

    // when they are read
    const readable = readableEvents(events, (e, reason) => odd.push([e.type, reason]));

    // then the normal ones come through, upcast, and each odd one was reported
    expect(readable.map((e) => e.type)).toEqual(['ShiftStarted', 'MemberEnrolled']);
    expect(odd).toEqual([
      ['ShiftEnded', 'unreadable_data'],
      ['ShiftVerified', 'unreadable_data'],
      ['ShiftRejected', 'unreadable_data'],
      ['CitizenAssisted', 'missing_key'],
      ['MemberEnrolled', 'missing_key'],
      ['UnitRegistered', 'missing_key'],
      ['ProgrammeAttendanceRecorded', 'missing_key'],
    ]);
  });

  it('hands on a type it does not know as stored: consumers pick their types', () => {
    const event = stored('SomethingNew', null);
    expect(readableEvent(event)).toBe(event);
    expect(readableEvent(stored('constructor', null))).not.toBeNull();
  });
});
