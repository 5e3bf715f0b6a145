/**
 * The writer of the dashboard bench: volunteers recording assistance to a live campaign through the
 * command routes at a steady rate while the reads are measured.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HttpClient } from './http-client.js';

export type WriterFacts = { campaignId: string; unitId: string; startDate: string };

export type WriterResult = { written: number; perSecond: number; latenciesMs: number[] };

/**
 * The writer's volunteers, enrolled in the campaign's unit, each with a shift started inside the
 * campaign's first day; made before anything is timed. The first of these commands after the seed is
 * also the one that brings the command side's directory up to the seeded history (the seed wrote
 * straight to the store): the caller times it apart.
 */
export async function prepareVolunteers(
  client: HttpClient,
  token: string,
  facts: WriterFacts,
  count: number,
): Promise<string[]> {
  const run = randomUUID().slice(0, 8);
  const shiftIds: string[] = [];
  for (let v = 0; v < count; v++) {
    const memberId = `bench-${run}-m${v}`;
    await client.expect('POST', '/members', token, {
      id: memberId,
      unitId: facts.unitId,
      displayName: `Bench volunteer ${v}`,
    });
    const shiftId = `bench-${run}-s${v}`;
    await client.expect('POST', '/shifts', token, {
      id: shiftId,
      memberId,
      campaignId: facts.campaignId,
      location: 'bench',
      startedAt: `${facts.startDate}T08:00:00+07:00`,
    });
    shiftIds.push(shiftId);
  }
  return shiftIds;
}

/**
 * Records assistance to the live campaign through `POST /shifts/:id/assistance` at `perSecond` in all,
 * as volunteers in the field would: one loop per prepared shift, each at its share of the rate and
 * offset from the others, so the rate holds while an answer takes up to `shifts / perSecond` seconds
 * and no two records race for one stream. Each record is a command the API decides and appends, so the
 * projection's checkpoint moves with it.
 */
export function startHttpWriter(
  client: HttpClient,
  token: string,
  facts: WriterFacts,
  shiftIds: string[],
  perSecond: number,
) {
  let stopped = false;
  let written = 0;
  let failure: unknown;
  const latenciesMs: number[] = [];
  const run = randomUUID().slice(0, 8);
  const started = performance.now();
  const interval = (1000 * shiftIds.length) / perSecond;
  const done = Promise.all(
    shiftIds.map(async (shiftId, volunteer) => {
      let due = started + (volunteer * interval) / shiftIds.length;
      for (let i = 0; !stopped; i++) {
        // A steady pace, never a burst to catch up after a slow answer: the rate reported is the one held.
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        if (stopped) break;
        const t0 = performance.now();
        await client.expect('POST', `/shifts/${shiftId}/assistance`, token, {
          id: `bench-${run}-v${volunteer}-a${i}`,
          serviceType: 'eid_activation',
          citizens: 1,
          occurredAt: `${facts.startDate}T09:00:00+07:00`,
        });
        latenciesMs.push(performance.now() - t0);
        written++;
        due = Math.max(due + interval, performance.now());
      }
    }),
  ).catch((error: unknown) => {
    stopped = true;
    failure = error;
  });
  return {
    /** Records written, the rate held, and each record's answer time. */
    async stop(): Promise<WriterResult> {
      stopped = true;
      await done;
      if (failure) throw failure;
      return {
        written,
        perSecond: written / ((performance.now() - started) / 1000),
        latenciesMs,
      };
    },
  };
}
