import fc from 'fast-check';
import { DateTime } from 'luxon';
import { foldEvents } from '../common/decider.js';
import { DomainError } from '../common/errors.js';
import { instantMillis } from '../common/instant.js';
import type { ShiftCommand } from './shift.commands.js';
import { shiftDecider, type ShiftState } from './shift.decider.js';
import type { ShiftEvent } from './shift.events.js';
import type { ShiftSpan } from './shift-rules.js';

// One member, a handful of shift streams, and any sequence of start / end / correct commands at
// minute resolution over three days. Whatever is accepted must leave the member's shifts disjoint
// and every finished shift within (0, max] hours; whatever is refused must be a DomainError.
const base = DateTime.fromISO('2025-08-09T00:00:00+07:00', { setZone: true });
const now = base.plus({ days: 3 }).toISO() as string;
const shiftIds = ['s0', 's1', 's2', 's3', 's4'];

const at = fc
  .integer({ min: 0, max: 3 * 24 * 60 + 10 })
  .map((m) => base.plus({ minutes: m }).toISO() as string);
const shiftId = fc.constantFrom(...shiftIds);
const commandArb: fc.Arbitrary<ShiftCommand> = fc.oneof(
  fc.record({ shiftId, startedAt: at }).map(({ shiftId, startedAt }) => ({
    type: 'StartShift' as const,
    data: { shiftId, memberId: 'member-an', campaignId: null, location: 'Ward 3', startedAt },
  })),
  fc.record({ shiftId, endedAt: at }).map((data) => ({ type: 'EndShift' as const, data })),
  fc
    .record({ shiftId, startedAt: fc.option(at), endedAt: fc.option(at) })
    .map((data) => ({ type: 'CorrectShift' as const, data: { ...data, reason: 'fixed a typo' } })),
);

const hourMs = 3_600_000;

function spansOf(streams: Map<string, ShiftEvent[]>): ShiftSpan[] {
  return [...streams.values()]
    .map((events) => foldEvents(shiftDecider, events))
    .filter((state): state is NonNullable<ShiftState> => state !== null)
    .map(({ shiftId, startedAt, endedAt }) => ({ shiftId, startedAt, endedAt }));
}

function run(
  commands: ShiftCommand[],
  maxShiftHours: number,
): { spans: ShiftSpan[]; accepted: number } {
  const streams = new Map<string, ShiftEvent[]>();
  let accepted = 0;
  for (const command of commands) {
    const events = streams.get(command.data.shiftId) ?? [];
    const context = {
      now,
      actorId: 'member-an',
      actorRole: 'volunteer' as const,
      memberExists: true,
      memberShifts: spansOf(streams),
      maxShiftHours,
    };
    try {
      const decided = shiftDecider.decide(command, foldEvents(shiftDecider, events), context);
      streams.set(command.data.shiftId, [...events, ...decided]);
      accepted += 1;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  }
  return { spans: spansOf(streams), accepted };
}

const interval = (span: ShiftSpan) => ({
  start: instantMillis(span.startedAt),
  end: span.endedAt === null ? Infinity : instantMillis(span.endedAt),
});

describe('shift rules (property)', () => {
  it('never lets two accepted shifts of a member overlap', () => {
    // An open shift has no end yet: what must hold is that finished shifts are disjoint, at most one
    // shift is open, and the open one does not start inside a finished one. Its end is checked when
    // it comes (a shift typed in late starts open before the member's later shifts).
    fc.assert(
      fc.property(
        fc.array(commandArb, { maxLength: 40 }),
        fc.integer({ min: 1, max: 16 }),
        (commands, max) => {
          const spans = run(commands, max).spans.map(interval);
          const finished = spans.filter((s) => s.end !== Infinity);
          const open = spans.filter((s) => s.end === Infinity);
          expect(open.length).toBeLessThanOrEqual(1);
          for (let i = 0; i < finished.length; i += 1) {
            for (let j = i + 1; j < finished.length; j += 1) {
              const overlap =
                finished[i].start < finished[j].end && finished[j].start < finished[i].end;
              expect(overlap).toBe(false);
            }
          }
          for (const o of open) {
            for (const f of finished) expect(f.start <= o.start && o.start < f.end).toBe(false);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps every finished shift longer than zero and at most the maximum', () => {
    fc.assert(
      fc.property(
        fc.array(commandArb, { maxLength: 40 }),
        fc.integer({ min: 1, max: 16 }),
        (commands, max) => {
          for (const { start, end } of run(commands, max).spans.map(interval)) {
            if (end === Infinity) continue;
            expect(end - start).toBeGreaterThan(0);
            expect(end - start).toBeLessThanOrEqual(max * hourMs);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('accepts well-formed disjoint shifts (the rules do not refuse everything)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 1, max: 16 * 60 })), {
          minLength: 1,
          maxLength: 4,
        }),
        (gapsAndLengths) => {
          const commands: ShiftCommand[] = [];
          let cursor = base;
          gapsAndLengths.forEach(([gap, length], index) => {
            const startedAt = cursor.plus({ minutes: gap });
            cursor = startedAt.plus({ minutes: length });
            const data = {
              shiftId: `s${index}`,
              memberId: 'member-an',
              campaignId: null,
              location: 'Ward 3',
            };
            commands.push({
              type: 'StartShift',
              data: { ...data, startedAt: startedAt.toISO() as string },
            });
            commands.push({
              type: 'EndShift',
              data: { shiftId: `s${index}`, endedAt: cursor.toISO() as string },
            });
          });
          expect(run(commands, 16).accepted).toBe(commands.length);
        },
      ),
      { numRuns: 100 },
    );
  });
});
