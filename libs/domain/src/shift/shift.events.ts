import type { Event, Instant } from '../common/event.js';
import type { ServiceType } from './service-types.js';

export type ShiftStarted = Event<
  'ShiftStarted',
  {
    shiftId: string;
    memberId: string;
    campaignId: string | null;
    location: string;
    startedAt: Instant;
  }
>;
/** Recorded on the shift's stream: a volunteer assists citizens while on duty. */
export type CitizenAssisted = Event<
  'CitizenAssisted',
  {
    assistanceId: string;
    shiftId: string;
    memberId: string;
    campaignId: string | null;
    serviceType: ServiceType;
    citizens: number;
    occurredAt: Instant;
    /** Pseudonymous reference to the citizen; personal data, stored encrypted. */
    citizenRef: string | null;
  }
>;
export type ShiftEnded = Event<'ShiftEnded', { shiftId: string; endedAt: Instant }>;
export type ShiftCorrected = Event<
  'ShiftCorrected',
  { shiftId: string; startedAt: Instant | null; endedAt: Instant | null; reason: string }
>;
export type ShiftVerified = Event<'ShiftVerified', { shiftId: string; verifiedBy: string }>;
export type ShiftRejected = Event<
  'ShiftRejected',
  { shiftId: string; rejectedBy: string; reason: string }
>;

export type ShiftEvent =
  ShiftStarted | CitizenAssisted | ShiftEnded | ShiftCorrected | ShiftVerified | ShiftRejected;

export const shiftStreamId = (shiftId: string): string => `shift-${shiftId}`;
