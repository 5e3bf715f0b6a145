import type { Instant } from '../common/event.js';

export type FormClub = Readonly<{
  type: 'FormClub';
  data: Readonly<{
    clubId: string;
    unitId: string;
    name: string;
    focus: string | null;
    foundedAt: Instant;
    /** Whole number ≥ 0 (the HTTP layer defaults it to 0). */
    foundingMembers: number;
  }>;
}>;

export type ClubCommand = FormClub;
