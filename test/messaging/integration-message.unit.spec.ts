import type { RecordedEvent } from '#event-store';
import { toOutgoingMessage, topicFor } from '#messaging';

const sealed = { $sealed: 1, subject: 'member-m1', iv: 'aXY=', tag: 'dGFn', data: 'Y2lwaGVy' };

function recorded(type: string, streamId: string, data: Record<string, unknown>): RecordedEvent {
  return {
    eventId: 'e-1',
    type,
    schemaVersion: 1,
    data,
    metadata: {
      occurredAt: '2025-08-09T08:00:00+07:00',
      recordedAt: '2025-08-09T01:00:01Z',
      recordedBy: 'u',
      commandId: 'c',
      correlationId: 'corr-1',
      causationId: null,
    },
    streamId,
    streamVersion: 4n,
    globalPosition: 9_007_199_254_740_993n,
    hash: 'h',
    previousHash: null,
  };
}

describe('integration messages', () => {
  it('never carry personal data, sealed or in clear, and say which fields were removed', () => {
    // given events carrying a member name and a citizen reference, sealed and in clear
    const enrolled = recorded('MemberEnrolled', 'member-m1', {
      memberId: 'm1',
      unitId: 'u1',
      displayName: sealed,
    });
    const assisted = recorded('CitizenAssisted', 'shift-s1', {
      shiftId: 's1',
      citizens: 2,
      citizenRef: 'CCCD-0123',
    });
    const other = recorded('SomethingNew', 'post-p1', {
      postId: 'p1',
      author: { name: sealed },
      title: 'ok',
    });

    // when they are turned into messages
    const [a, b, c] = [enrolled, assisted, other].map((e) =>
      JSON.parse(toOutgoingMessage(e, 'vc.').value),
    );

    // then the personal fields are gone and listed, the rest is intact
    expect(a.data).toEqual({ memberId: 'm1', unitId: 'u1' });
    expect(a.redacted).toEqual(['displayName']);
    expect(b.data).toEqual({ shiftId: 's1', citizens: 2 });
    expect(b.redacted).toEqual(['citizenRef']);
    expect(c.data).toEqual({ postId: 'p1', title: 'ok' });
    expect(JSON.stringify([a, b, c])).not.toMatch(/\$sealed|CCCD|Y2lwaGVy/);
  });

  it('keys by stream, routes by category and keeps 64-bit positions exact', () => {
    // given an event far along the feed
    const event = recorded('ShiftEnded', 'shift-s1', { shiftId: 's1' });
    // when it becomes a message
    const message = toOutgoingMessage(event, 'vc.');
    // then
    expect(message).toMatchObject({ topic: 'vc.shift', key: 'shift-s1' });
    expect(JSON.parse(message.value)).toMatchObject({
      schema: 'volunteer-campaigns.event/v1',
      streamVersion: 4,
      globalPosition: '9007199254740993',
      correlationId: 'corr-1',
    });
    expect(message.headers).toMatchObject({
      'event-id': 'e-1',
      'event-type': 'ShiftEnded',
      'schema-version': '1',
      'global-position': '9007199254740993',
      'correlation-id': 'corr-1',
    });
    expect(
      ['unit-1', 'member-1', 'campaign-1', 'club-1', 'post-1', 'programme-1', 'weird'].map((s) =>
        topicFor(s, 'x.'),
      ),
    ).toEqual(['x.unit', 'x.member', 'x.campaign', 'x.club', 'x.post', 'x.programme', 'x.other']);
  });

  it('carry the current shape of an event stored in an older version, and say that version', () => {
    // given a head count stored in version 1 (members and citizens at the top of data)
    const stored = recorded('ProgrammeAttendanceRecorded', 'programme-g1', {
      programmeId: 'g1',
      members: 40,
      citizens: 9,
      recordedAt: '2025-08-02T09:00:00+07:00',
    });

    // when it becomes a message
    const message = toOutgoingMessage(stored, 'vc.');

    // then the value and the header say version 2, in version 2's shape; the stored event is unchanged
    expect(JSON.parse(message.value)).toMatchObject({
      schemaVersion: 2,
      data: {
        programmeId: 'g1',
        attendees: { members: 40, citizens: 9 },
        recordedAt: '2025-08-02T09:00:00+07:00',
      },
    });
    expect(JSON.parse(message.value).data).not.toHaveProperty('members');
    expect(message.headers['schema-version']).toBe('2');
    expect(stored.schemaVersion).toBe(1);
  });

  it('carry an event of a version newer than this code as stored, flagged', () => {
    const odd: string[] = [];
    const future = { ...recorded('ShiftEnded', 'shift-s1', { shiftId: 's1' }), schemaVersion: 5 };

    const message = toOutgoingMessage(future, 'vc.', (e, reason) => odd.push(reason));

    expect(JSON.parse(message.value)).toMatchObject({ schemaVersion: 5, data: { shiftId: 's1' } });
    expect(odd).toEqual(['future_version']);
  });
});
