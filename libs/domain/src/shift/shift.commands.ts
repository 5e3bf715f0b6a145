import type { Instant } from '../common/event.js';
import type { ServiceType } from './service-types.js';

export type StartShift = Readonly<{
  type: 'StartShift';
  data: Readonly<{
    shiftId: string;
    memberId: string;
    campaignId: string | null;
    location: string;
    startedAt: Instant;
  }>;
}>;
export type RecordAssistance = Readonly<{
  type: 'RecordAssistance';
  data: Readonly<{
    assistanceId: string;
    shiftId: string;
    serviceType: ServiceType;
    /** At least 1 (the HTTP layer defaults it to 1). */
    citizens: number;
    occurredAt: Instant;
    citizenRef: string | null;
  }>;
}>;
export type EndShift = Readonly<{
  type: 'EndShift';
  data: Readonly<{ shiftId: string; endedAt: Instant }>;
}>;
/** `null` leaves that bound as it is; at least one of them must be given. */
export type CorrectShift = Readonly<{
  type: 'CorrectShift';
  data: Readonly<{
    shiftId: string;
    startedAt: Instant | null;
    endedAt: Instant | null;
    reason: string;
  }>;
}>;
export type VerifyShift = Readonly<{ type: 'VerifyShift'; data: Readonly<{ shiftId: string }> }>;
export type RejectShift = Readonly<{
  type: 'RejectShift';
  data: Readonly<{ shiftId: string; reason: string }>;
}>;

export type ShiftCommand =
  StartShift | RecordAssistance | EndShift | CorrectShift | VerifyShift | RejectShift;
