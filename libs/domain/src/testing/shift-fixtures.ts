// Test data shared by the shift specs (not exported from the library).
import { deciderSpec } from './decider-spec.js';
import { coordinator, now, volunteer } from './fixtures.js';
import type {
  ShiftStarted,
  ShiftEnded,
  CitizenAssisted,
  ShiftVerified,
  ShiftRejected,
} from '../shift/shift.events.js';
import { shiftDecider } from '../shift/shift.decider.js';
import type { ShiftContext, ShiftCampaignFacts } from '../shift/shift-rules.js';

export { now };

/** The member's branch of the unit tree: province → ward 3 → branch 1 (their own unit). */
const memberUnitPath = ['province', 'ward-3', 'branch-1'];

export const byVolunteer: ShiftContext = {
  ...volunteer,
  memberShifts: [],
  memberExists: true,
  memberUnitPath,
};
export const byCoordinator: ShiftContext = {
  ...coordinator,
  memberShifts: [],
  memberExists: true,
  memberUnitPath,
};

export const shift = deciderSpec(shiftDecider, byVolunteer);

export const cardDrive: ShiftCampaignFacts = {
  unitId: 'ward-3',
  timezone: 'Asia/Ho_Chi_Minh',
  startDate: '2025-08-09',
  endDate: '2025-08-15',
  dailyWindow: { from: '07:00', to: '22:00' },
  closed: false,
  serviceTypes: ['party_card_replacement', 'eid_activation'],
};

export const started = (
  startedAt = '2025-08-10T08:00:00+07:00',
  campaignId: string | null = null,
): ShiftStarted => ({
  type: 'ShiftStarted',
  data: {
    shiftId: 's1',
    memberId: 'member-an',
    campaignId,
    location: 'Ward 3 service centre',
    startedAt,
  },
});

export const ended = (endedAt = '2025-08-10T11:00:00+07:00'): ShiftEnded => ({
  type: 'ShiftEnded',
  data: { shiftId: 's1', endedAt },
});

export const assisted = (occurredAt: string, assistanceId = 'a1'): CitizenAssisted => ({
  type: 'CitizenAssisted',
  data: {
    assistanceId,
    shiftId: 's1',
    memberId: 'member-an',
    campaignId: null,
    serviceType: 'eid_activation',
    citizens: 1,
    occurredAt,
    citizenRef: null,
  },
});

/** The verdicts of the coordinator of `byCoordinator` (member-binh). */
export const verified: ShiftVerified = {
  type: 'ShiftVerified',
  data: { shiftId: 's1', verifiedBy: 'member-binh' },
};
export const rejected = (reason = 'nobody saw this shift'): ShiftRejected => ({
  type: 'ShiftRejected',
  data: { shiftId: 's1', rejectedBy: 'member-binh', reason },
});
