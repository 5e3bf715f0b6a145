import { CommandBus } from '@nestjs/cqrs';
import pg from 'pg';
import { CLOCK, seedCardDrive2025, type ControllableClock } from '#commands';
import type { EventStore } from '#event-store';
import { campaignProgress, liveReadModel, READS } from '#projections';
import { EVENT_STORE } from '#platform';
import { startCommandsKit, type CommandsKit } from '../commands/commands-kit.js';
import { campaignProgressFromFacts } from './support/campaign-progress.facts.js';
import { progressFromLog, readLog } from './support/campaign-progress.log-fold.js';

// The card drive seeded through the command path (late recordings, a rejection, corrections,
// verifications): the counters answer exactly what the facts say, and what a fold of the log says.
describe('campaign progress counters on the card-drive seed', () => {
  let kit: CommandsKit;
  let pool: pg.Pool;
  beforeAll(async () => {
    kit = await startCommandsKit('cp_card_drive', { worker: true });
    pool = new pg.Pool({ connectionString: kit.databaseUrl, max: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await kit?.close();
  });

  it('equals the progress aggregated from the facts', async () => {
    const bus = kit.app.get(CommandBus, { strict: false });
    const clock = kit.app.get<ControllableClock>(CLOCK, { strict: false });
    await seedCardDrive2025(bus, clock, () => {});
    const [{ last }] = (
      await pool.query<{ last: string }>('SELECT max(global_position)::text AS last FROM events')
    ).rows;

    // the projection has reached the last seeded event
    const { schema } = await liveReadModel(pool, READS.campaignProgress, BigInt(last), 60_000);
    const counters = await campaignProgress(pool, schema, 'cd25-party-cards');
    const facts = await campaignProgressFromFacts(pool, schema, 'cd25-party-cards');

    expect(counters).toEqual(facts);
    // and what an independent fold of the stored events says (issue 10 point 1)
    const log = await readLog(kit.app.get<EventStore>(EVENT_STORE, { strict: false }));
    expect(counters).toEqual(progressFromLog(log, 'cd25-party-cards'));
    expect(counters!.totals.citizensAssisted).toBeGreaterThan(5_500);
    expect(counters!.outOfWindow.assistanceEvents).toBeGreaterThan(0);
  }, 300_000);
});
