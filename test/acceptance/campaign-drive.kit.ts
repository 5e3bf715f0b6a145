import request from 'supertest';
import type { Actor } from '#platform';
import { startTestApp, type TestApp } from '../platform/test-app.js';
import { campaign, club, members, operator, post, shifts, units } from './campaign-scenario.js';

export type CampaignDrive = {
  t: TestApp;
  /** When the drive began (every `recordedAt` lies after it). */
  startedAt: number;
  /** The highest position the commands returned. */
  position(): number;
  /** GET with `minPosition` of the last command, so the read waits for the projections; throws unless 200. */
  read(path: string, actor: Actor, accept?: string): Promise<request.Response>;
};

/** Sends every fact of campaign-scenario.ts through the HTTP API, each command expected to answer 201. */
export async function driveCampaign(prefix: string): Promise<CampaignDrive> {
  const t = await startTestApp(prefix);
  const startedAt = Date.now();
  let position = 0;
  const send = async (actor: Actor, path: string, body: object = {}) => {
    const res = await request(t.server)
      .post(path)
      .set('Authorization', await t.bearer(actor))
      .send(body);
    if (res.status !== 201)
      throw new Error(`${path} as ${actor.sub}: ${res.status} ${JSON.stringify(res.body)}`);
    position = Math.max(position, Number(res.body.position));
  };
  const read: CampaignDrive['read'] = async (path, actor, accept) => {
    let req = request(t.server)
      .get(`${path}${path.includes('?') ? '&' : '?'}minPosition=${position}`)
      .set('Authorization', await t.bearer(actor));
    if (accept) req = req.set('Accept', accept);
    const res = await req;
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.text}`);
    return res;
  };

  try {
    // Given an operator registered a district, two wards and a branch, twelve members, a club, a post
    for (const unit of Object.values(units)) await send(operator, '/units', unit);
    for (const member of members) await send(operator, '/members', member);
    await send(operator, '/clubs', club);
    await send(operator, '/posts', post);
    // and launched the card drive of 9–15 August 2025, 07:00–22:00 in Asia/Ho_Chi_Minh, with goals
    await send(operator, '/campaigns', campaign);

    // When volunteers (or their coordinator) start shifts, record assistance and end them, the
    // coordinator and the operator give their verdicts, and one volunteer corrects a verified shift
    for (const s of shifts) {
      const by = s.recordedBy;
      await send(by, '/shifts', {
        id: s.id,
        memberId: s.memberId,
        location: 'TTHCC phường',
        startedAt: s.startedAt,
        ...(s.inCampaign ? { campaignId: campaign.id } : {}),
      });
      for (const x of s.assists)
        await send(by, `/shifts/${s.id}/assistance`, {
          id: x.id,
          serviceType: x.serviceType,
          citizens: x.citizens,
          occurredAt: x.at,
        });
      if (s.endedAt) await send(by, `/shifts/${s.id}/end`, { endedAt: s.endedAt });
      if (s.verdict?.kind === 'verify') await send(s.verdict.by, `/shifts/${s.id}/verify`);
      if (s.verdict?.kind === 'reject')
        await send(s.verdict.by, `/shifts/${s.id}/reject`, { reason: s.verdict.reason });
      if (s.correction)
        await send(s.correction.by, `/shifts/${s.id}/corrections`, {
          startedAt: s.correction.startedAt,
          endedAt: s.correction.endedAt,
          reason: s.correction.reason,
        });
    }
  } catch (error) {
    await t.close();
    throw error;
  }
  return { t, startedAt, position: () => position, read };
}
