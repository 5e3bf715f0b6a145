import { randomUUID } from 'node:crypto';
import { newEvent as elsewhere } from '../../libs/event-store/src/testing/event-fixtures.js';
import {
  hoursAgo,
  launchCampaign,
  operator,
  seedTree,
  shiftStart,
  startCommandsKit,
  type CommandsKit,
} from './commands-kit.js';
import { countPoolMessages, type PoolMessages } from './pool-messages.js';

/**
 * What a command on a campaign shift costs in messages to PostgreSQL, counted on the app's own pools
 * (pool-messages.ts). The campaign is read under its stream's lock, held shared, so that a closing
 * lands before that read or after the command (campaign-close-race.e2e.spec.ts); the lock, the
 * campaign's head and BEGIN go in one message, and a campaign this process holds at that head is not
 * read again.
 */
describe('a command on a campaign shift sends few messages to PostgreSQL', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  let messages: PoolMessages;

  beforeAll(async () => {
    kit = await startCommandsKit('cmd_round_trips');
    ids = await seedTree(kit, 'rt');
    messages = countPoolMessages(kit.app);
  });
  afterAll(async () => {
    await kit?.close();
  });

  /** The messages the app sent to PostgreSQL while it handled `command`, which must record. */
  async function messagesOf(command: () => Promise<{ status: number }>) {
    const sent = await messages.of(command);
    expect(sent.status).toBe(201);
    return sent.messages;
  }

  const launch = (campaignId: string) => launchCampaign(kit, campaignId, ids.branch);

  const assist = (shiftId: string, hours: number) =>
    kit.post(`/shifts/${shiftId}/assistance`, operator, {
      serviceType: 'party_card_replacement',
      occurredAt: hoursAgo(hours),
    });

  it('records an assistance in three: BEGIN with the locks and heads, the append, COMMIT', async () => {
    // given a shift under way in an open campaign, with an assistance recorded (this process holds
    // the shift and the campaign folded)
    await launch('rt-help');
    await kit.record('/shifts', shiftStart('rt-help-shift', ids.member, 2, 'rt-help'));
    await kit.record(`/shifts/rt-help-shift/assistance`, {
      serviceType: 'party_card_replacement',
      occurredAt: hoursAgo(1.5),
    });

    // when another assistance is recorded on it
    const messages = await messagesOf(() => assist('rt-help-shift', 1));

    // then it costs three messages, the last one the commit
    expect(messages).toHaveLength(3);
    expect(messages[0]).toMatch(/^BEGIN;/);
    expect(messages[2]).toBe('COMMIT');
  });

  it('reads the member and the campaign of a shift start only with their locks, at BEGIN', async () => {
    // given a member who ended a shift in an open campaign (this process holds them and it folded)
    await launch('rt-start');
    await kit.record('/members', {
      id: 'rt-starter',
      unitId: ids.branch,
      displayName: 'Lê Văn Ca',
    });
    await kit.record('/shifts', shiftStart('rt-start-1', 'rt-starter', 5, 'rt-start'));
    await kit.record('/shifts/rt-start-1/end', { endedAt: hoursAgo(4) });

    // when they start another shift in it
    const messages = await messagesOf(() =>
      kit.post('/shifts', operator, shiftStart('rt-start-2', 'rt-starter', 3, 'rt-start')),
    );
    // then their streams are named in one message only: the one that begins the transaction
    const naming = messages.filter((m) => /member-rt-starter|campaign-rt-start/.test(m));
    expect(naming).toHaveLength(1);
    expect(naming[0]).toMatch(/^BEGIN;/);
  });

  it('decides on a shift another writer raced for under its lock, in four', async () => {
    // given a campaign shift to which another writer appended an assistance behind this process's back
    await launch('rt-raced');
    await kit.record('/members', {
      id: 'rt-racer',
      unitId: ids.branch,
      displayName: 'Phạm Văn Đua',
    });
    await kit.record('/shifts', shiftStart('rt-raced-shift', 'rt-racer', 2, 'rt-raced'));
    const assistanceId = randomUUID();
    await kit.store.append(
      'shift-rt-raced-shift',
      [
        elsewhere('CitizenAssisted', {
          assistanceId,
          shiftId: 'rt-raced-shift',
          memberId: 'rt-racer',
          campaignId: 'rt-raced',
          serviceType: 'other',
          citizens: 1,
          occurredAt: hoursAgo(1.5),
          citizenRef: null,
        }),
      ],
      { expectedVersion: 0n },
    );
    // and this process lost an append to it (so it writes the stream under its lock for a while)
    expect((await assist('rt-raced-shift', 1.25)).status).toBe(201);

    // when another assistance is recorded on it
    const messages = await messagesOf(() => assist('rt-raced-shift', 1));

    // then it is decided under the shift's lock, taken with BEGIN, and the campaign's, taken next,
    // each with its head, and neither stream is read again
    expect(messages).toHaveLength(4);
    expect(messages[0]).toMatch(/^BEGIN;.*'shift-rt-raced-shift'/);
    expect(messages[1]).toMatch(/'campaign-rt-raced'/);
    expect(messages[3]).toBe('COMMIT');
    expect(await kit.streamLength('shift-rt-raced-shift')).toBe(4);
  });

  it('still reads the campaign when another writer changed it since this process folded it', async () => {
    // given a shift under way in a campaign that was closed behind this process's back (a write
    // straight to the store, as another process's would be)
    await launch('rt-moved');
    await kit.record('/shifts', shiftStart('rt-moved-shift', ids.other, 2, 'rt-moved'));
    await kit.store.append(
      'campaign-rt-moved',
      [elsewhere('CampaignClosed', { campaignId: 'rt-moved' })],
      { expectedVersion: 0n },
    );

    // when an assistance is sent on it
    const answer = await assist('rt-moved-shift', 1);

    // then the decision saw the closing
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ code: 'campaign_closed' });
  });
});
