import { domainEvent, eventsOf, isEvent } from './typed-event.js';

/** As the log hands events over: a type string and untyped JSON, inside an envelope of its own. */
type Stored = Readonly<{ type: string; data: Readonly<Record<string, unknown>>; position: bigint }>;
const stored = (type: string, data: Record<string, unknown>): Stored => ({
  type,
  data,
  position: 7n,
});

describe('typed events', () => {
  const started = stored('ShiftStarted', { shiftId: 's1', memberId: 'm1', startedAt: 'x' });

  it('isEvent narrows to the named types and keeps the envelope', () => {
    // @ts-expect-error the log's data is untyped until narrowed
    const untyped: string = started.data.shiftId;
    expect(untyped).toBe('s1');
    expect(isEvent(started, 'ShiftEnded')).toBe(false);
    if (!isEvent(started, 'ShiftStarted', 'ShiftEnded')) throw new Error('not narrowed');
    const shiftId: string = started.data.shiftId;
    expect([shiftId, started.position]).toEqual(['s1', 7n]);
    if (started.type === 'ShiftStarted') expect(started.data.memberId).toBe('m1');
  });

  it('eventsOf keeps the events of the named types, in order, typed as them', () => {
    const ended = stored('ShiftEnded', { shiftId: 's1', endedAt: 'y' });
    const other = stored('Tested', {});
    const kept = eventsOf([started, other, ended, started], 'ShiftEnded', 'ShiftStarted');
    expect(kept).toEqual([started, ended, started]);
    const shiftIds: string[] = kept.map((event) => event.data.shiftId);
    expect(shiftIds).toEqual(['s1', 's1', 's1']);
    expect(eventsOf([started, other], 'ShiftEnded')).toEqual([]);
  });

  it('domainEvent types a switch over every domain type and leaves other types out', () => {
    expect(domainEvent(stored('Tested', {}))).toBeNull();
    const event = domainEvent(started);
    switch (event?.type) {
      case 'ShiftStarted':
        expect(event.data.memberId).toBe('m1');
        break;
      default:
        throw new Error(`not typed: ${event?.type}`);
    }
  });
});
