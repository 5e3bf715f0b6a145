import type request from 'supertest';
import {
  hoursAgo,
  operator,
  PROBLEM,
  seedTree,
  shiftStart,
  startCommandsKit,
  type CommandsKit,
  launchCampaign,
} from './commands-kit.js';

/**
 * A closed campaign records nothing more (the shift rules' `requireOpenCampaign`). A shift start and
 * an assistance decide on the campaign's stream and append to the shift's: a closing landing between
 * the two would put a shift or a visit after the closing in feed order, where every projection and
 * auditor folds it. Here the closing and the command are sent together, round after round.
 */
describe('a shift or an assistance sent while its campaign closes never lands after the closing', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  const rounds = 20;

  beforeAll(async () => {
    kit = await startCommandsKit('cmd_close_race');
    ids = await seedTree(kit, 'cr');
  });
  afterAll(async () => {
    await kit?.close();
  });

  const launch = (campaignId: string) => launchCampaign(kit, campaignId, ids.branch);

  /** Global positions of the events of `type` in the campaign. */
  const positionsOf = (type: string, campaignId: string) =>
    kit.positions(`type = $1 AND data->>'campaignId' = $2`, [type, campaignId]);

  /**
   * Sends `command`, then the closing a few milliseconds later (0 to 4, in turn): the closing is the
   * shorter of the two, so this spreads it over the command's read-to-append window.
   */
  async function race(round: number, campaignId: string, command: () => Promise<request.Response>) {
    const close = async () => {
      await new Promise((resolve) => setTimeout(resolve, round % 5));
      return kit.post(`/campaigns/${campaignId}/close`, operator, {});
    };
    const [answer, closed] = await Promise.all([command(), close()]);
    expect(closed.status).toBe(201);
    const [closedAt] = await positionsOf('CampaignClosed', campaignId);
    return { answer, closedAt: closedAt! };
  }

  const expectRefused = (answer: request.Response) => {
    expect(answer.status).toBe(422);
    expect(answer.headers['content-type']).toMatch(PROBLEM);
    expect(answer.body).toMatchObject({ status: 422, code: 'campaign_closed' });
  };

  it(`refuses a shift start or records it before the closing, in ${rounds} races`, async () => {
    const misplaced: string[] = [];
    for (let round = 0; round < rounds; round++) {
      // given an open campaign of the member's branch
      const campaignId = `cr-start-${round}`;
      const shiftId = `cr-start-shift-${round}`;
      await launch(campaignId);
      // when its closing and a shift start in it are sent at once
      const { answer, closedAt } = await race(round, campaignId, () =>
        kit.post('/shifts', operator, {
          id: shiftId,
          memberId: `${ids.member}`,
          campaignId,
          location: 'Trung tâm hành chính công',
          startedAt: hoursAgo(200 - round), // one hour each, never overlapping
        }),
      );
      // then the shift is recorded before the closing, or refused and not recorded at all
      const started = await positionsOf('ShiftStarted', campaignId);
      if (answer.status === 201) {
        expect(started).toEqual([BigInt(answer.body.position)]);
        if (started[0]! > closedAt) misplaced.push(`round ${round}: ${started[0]} > ${closedAt}`);
        await kit.record(`/shifts/${shiftId}/end`, { endedAt: hoursAgo(199.5 - round) });
      } else {
        expectRefused(answer);
        expect(started).toEqual([]);
        expect(await kit.streamLength(`shift-${shiftId}`)).toBe(0);
      }
    }
    expect(misplaced).toEqual([]);
  });

  it(`refuses an assistance or records it before the closing, in ${rounds} races`, async () => {
    const misplaced: string[] = [];
    for (let round = 0; round < rounds; round++) {
      // given a shift under way in an open campaign
      const campaignId = `cr-help-${round}`;
      const shiftId = `cr-help-shift-${round}`;
      await launch(campaignId);
      await kit.record('/shifts', shiftStart(shiftId, ids.other, 100 - round, campaignId));
      await kit.record(`/shifts/${shiftId}/end`, { endedAt: hoursAgo(99.5 - round) });
      // when its campaign's closing and an assistance in it are sent at once
      const { answer, closedAt } = await race(round, campaignId, () =>
        kit.post(`/shifts/${shiftId}/assistance`, operator, {
          serviceType: 'party_card_replacement',
          occurredAt: hoursAgo(99.75 - round),
        }),
      );
      // then the assistance is recorded before the closing, or refused and not recorded at all
      const assisted = await positionsOf('CitizenAssisted', campaignId);
      if (answer.status === 201) {
        expect(assisted).toEqual([BigInt(answer.body.position)]);
        if (assisted[0]! > closedAt) misplaced.push(`round ${round}: ${assisted[0]} > ${closedAt}`);
      } else {
        expectRefused(answer);
        expect(assisted).toEqual([]);
        expect(await kit.streamLength(`shift-${shiftId}`)).toBe(2);
      }
    }
    expect(misplaced).toEqual([]);
  });
});
