import fc from 'fast-check';
import { DirectoryService } from '#commands';
import type { EventStore } from '#event-store';
import {
  campaignProgress,
  digitalSkills,
  READS,
  unitProgrammes,
  type ProgrammeListing,
} from '#projections';
import { CommandDatabase } from '../../libs/commands/src/shared/command-database.js';
import { projectionFixture, type Fixture } from './support/projection-fixture.js';
import { appendHistory, history } from './support/stored-history.js';

// Old events may hold anything an older, wider gate accepted (support/stored-history.ts generates
// them across the full stored ranges). Whatever they hold, every projection's checkpoint and the
// write-side directory's must reach the last event, and a campaign's progress must stay bounded.
describe('every projection and the write-side directory take any stored value', () => {
  let f: Fixture;
  let commandDb: CommandDatabase;
  let directory: DirectoryService;
  beforeAll(async () => {
    f = await projectionFixture('prop_stored_values');
    commandDb = new CommandDatabase({ connectionString: f.url });
    await commandDb.migrate();
    directory = new DirectoryService(commandDb, f.store as EventStore);
  });
  afterAll(async () => {
    await commandDb?.close();
    await f?.close();
  });

  /** Catches the directory up until its checkpoint passes `position`; throws if it stalls. */
  async function directoryCaughtUp(position: bigint, deadlineMs = 20_000): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      await directory.catchUp(); // throws if one event stops it
      const [row] = (
        await f.pool.query<{ position: string }>('SELECT position FROM cmd_directory_checkpoint')
      ).rows;
      if (row && BigInt(row.position) >= position) return;
      if (Date.now() > deadline) throw new Error(`the directory stalled before ${position}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('neither throws nor stalls, and campaign progress stays bounded', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(history, async (h) => {
        const { campaign, directoryPosition } = await appendHistory(f, ++run, h);
        await f.settle(); // every live checkpoint reaches the last event, or this throws
        await directoryCaughtUp(directoryPosition);
        const progress = await campaignProgress(
          f.pool,
          await f.schema(READS.campaignProgress),
          campaign,
        );
        expect(progress).not.toBeNull();
        expect(progress!.byDay.length).toBeLessThanOrEqual(36_525);
        for (const value of Object.values(progress!.totals))
          expect(Number.isFinite(value)).toBe(true);
        const schema = await f.schema(READS.programmesSkills);
        // without `after`, a known unit's listing (never UnknownFilterId)
        const programmes = (await unitProgrammes(f.pool, schema, `u${run}`, {
          limit: 500,
        })) as ProgrammeListing | null;
        expect(programmes!.totals.programmes).toBe(1);
        expect(programmes!.totals.members).toBeLessThanOrEqual(1_000_000);
        expect((await digitalSkills(f.pool, schema, `u${run}`))!.members).toBe(1);
      }),
      { numRuns: 60, endOnFailure: true },
    );
  }, 300_000);
});
