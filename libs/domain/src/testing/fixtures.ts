import type { CommandContext } from '../common/event.js';

/** A fixed "now" for every decider test: 10 August 2025, noon in Ho Chi Minh City. */
export const now = '2025-08-10T12:00:00+07:00';

export const volunteer: CommandContext = { now, actorId: 'member-an', actorRole: 'volunteer' };
export const coordinator: CommandContext = {
  now,
  actorId: 'member-binh',
  actorRole: 'coordinator',
};
