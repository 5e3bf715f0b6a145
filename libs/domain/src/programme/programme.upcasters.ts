import type { UpcastStep } from '../common/upcasting.js';

/**
 * ProgrammeAttendanceRecorded version 1 → 2: the head count moves from `members` and `citizens` at the
 * top of `data` into `attendees: { members, citizens }`, the shape ProgrammeHeld already gives it, so
 * every reader takes a programme's current count from `data.attendees` whichever event set it.
 * Values are moved as stored (readers clamp them); a v1 event missing one keeps it missing.
 */
export const attendanceRecordedV1ToV2: UpcastStep = ({ members, citizens, ...rest }) => ({
  ...rest,
  attendees: { members, citizens },
});
