import { decideShift, type ShiftCommand, type ShiftEvent, type ShiftState } from '#domain';
import type { Actor } from '#platform';
import type { Steps } from '../shared/handle-command.js';
import { type ShiftFacts, shiftFold } from './shift-facts.js';

/**
 * The steps of an action that moves an existing shift in time (ending, correcting): recorded for its
 * member, decided under the member's guard, where the overlap rule reads the member's other shifts.
 */
export const movedInTime = (
  facts: ShiftFacts,
  actor: Actor,
  command: ShiftCommand,
): Steps<ShiftState, ShiftEvent> => ({
  ...shiftFold,
  authorize: (shift) => facts.authorizeRecording(actor, shift!.memberId),
  guard: (shift) => shift!.memberId,
  decide: async (shift, base, { db }) =>
    decideShift(command, shift, await facts.context(base, shift!.memberId, null, { guarded: db })),
});

/**
 * The steps of a verdict on a finished shift (verifying, rejecting): judged within the member's
 * subtree, never the judge's own; the times do not move, so no guard.
 */
export const judged = (
  facts: ShiftFacts,
  actor: Actor,
  command: ShiftCommand,
): Steps<ShiftState, ShiftEvent> => ({
  ...shiftFold,
  authorize: (shift) => facts.authorizeJudging(actor, shift!.memberId),
  decide: async (shift, base) =>
    decideShift(command, shift, await facts.context(base, shift!.memberId, null)),
});
