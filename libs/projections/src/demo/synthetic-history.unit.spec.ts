import { activityWaves } from './activity-generator.js';
import { syntheticOptions } from './synthetic-history.js';

const eventsOf = (events: number, seed: number) =>
  [...activityWaves(syntheticOptions(events, seed))]
    .flat()
    .flatMap((append) => append.events.map((event) => ({ streamId: append.streamId, ...event })));

describe('the synthetic history of seed synthetic', () => {
  it('is the same for the same seed, and another for another seed', () => {
    const first = eventsOf(3_000, 7);
    const again = eventsOf(3_000, 7);
    const other = eventsOf(3_000, 8);

    expect(again).toEqual(first);
    expect(other.map((e) => e.data)).not.toEqual(first.map((e) => e.data));
    expect(new Set(first.map((e) => e.eventId)).size).toBe(first.length);
  });

  it('comes close to the size asked for, with every kind of fact of the field', () => {
    const events = eventsOf(3_000, 7);
    const types = new Set(events.map((e) => e.type));
    const units = events.filter((e) => e.type === 'UnitRegistered').map((e) => e.data);

    expect(events.length).toBeGreaterThanOrEqual(3_000);
    expect(events.length).toBeLessThan(3_100);
    expect([...types].sort()).toEqual([
      'CampaignLaunched',
      'CitizenAssisted',
      'ClubFormed',
      'MemberDataErased',
      'MemberEnrolled',
      'MemberSkillAttained',
      'PostPublished',
      'ProgrammeAttendanceRecorded',
      'ProgrammeHeld',
      'ShiftCorrected',
      'ShiftEnded',
      'ShiftRejected',
      'ShiftStarted',
      'ShiftVerified',
      'UnitRegistered',
    ]);
    expect(new Set(units.map((u) => u.kind))).toEqual(
      new Set(['province', 'district', 'ward', 'branch']),
    );
    expect(events.every((e) => e.streamId.includes('syn7.'))).toBe(true);
  });
});
