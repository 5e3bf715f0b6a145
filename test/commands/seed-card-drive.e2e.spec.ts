import { CommandBus } from '@nestjs/cqrs';
import { CLOCK, seedCardDrive2025, type ControllableClock } from '#commands';
import { startCommandsKit, type CommandsKit } from './commands-kit.js';

describe('seed card-drive-2025 through the command path', () => {
  let kit: CommandsKit;
  beforeAll(async () => {
    kit = await startCommandsKit('cmd_seed');
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('records the drive (about 150 turns, about 7,000 citizens, late recordings), and seeding again records nothing', async () => {
    const bus = kit.app.get(CommandBus, { strict: false });
    const clock = kit.app.get<ControllableClock>(CLOCK, { strict: false });
    const stats = await seedCardDrive2025(bus, clock, () => {});
    expect(stats.shifts).toBeGreaterThan(120);
    expect(stats.shifts).toBeLessThan(180);
    expect(stats.citizens).toBeGreaterThan(5500);
    expect(stats.citizens).toBeLessThan(8500);
    expect(stats.late).toBeGreaterThan(5);
    const recorded = await kit.totalEvents();

    const facts = await kit.sql<{ type: string; n: string }>(
      `SELECT type, count(*) AS n FROM events
        WHERE (metadata->>'recordedAt')::timestamptz - (metadata->>'occurredAt')::timestamptz > interval '1 day'
           OR type IN ('ShiftCorrected', 'ShiftRejected', 'ShiftVerified')
        GROUP BY type`,
    );
    const count = Object.fromEntries(facts.map((f) => [f.type, Number(f.n)]));
    expect(count.ShiftStarted).toBe(stats.late); // typed in days after the fact, attributed to its own day
    expect(count.ShiftRejected).toBe(1);
    expect(count.ShiftCorrected).toBeGreaterThan(0);
    expect(count.ShiftVerified).toBe(stats.shifts - 1);

    // Programmes and skills come after the drive and leave its figures alone.
    const added = await kit.sql<{ type: string; n: string }>(
      `SELECT type, count(*) AS n FROM events
        WHERE type IN ('ProgrammeHeld', 'ProgrammeAttendanceRecorded', 'MemberSkillAttained')
        GROUP BY type`,
    );
    expect(Object.fromEntries(added.map((f) => [f.type, Number(f.n)]))).toEqual({
      ProgrammeHeld: stats.programmes,
      ProgrammeAttendanceRecorded: 2,
      MemberSkillAttained: stats.skills,
    });
    expect(stats.programmes).toBe(4);
    expect(stats.skills).toBeGreaterThan(32);

    await seedCardDrive2025(bus, clock, () => {});
    expect(await kit.totalEvents()).toBe(recorded);
  }, 300_000);
});
