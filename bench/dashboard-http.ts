/**
 * The HTTP side of the dashboard bench: a keep-alive client, the dashboard routes of API.md with ids
 * from `seed synthetic`'s summary, and the writer that records assistance to a live campaign through
 * the command routes at a steady rate while the reads are measured.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export type Answer = { status: number; body: string };

class StaleSocket extends Error {}

/** One keep-alive agent per client: readers reuse their sockets as a dashboard's browser would. */
export class HttpClient {
  private readonly agent: http.Agent;

  constructor(
    private readonly base: string,
    sockets: number,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  }

  /** Requests sent again because the server had closed the kept-alive socket they went out on. */
  resent = 0;

  /**
   * One request. Sent on a kept-alive socket that the server closed at that moment (its keep-alive
   * timeout, 5 s in Node, racing the reuse), it fails with ECONNRESET before any answer: such a request
   * is sent once more on a fresh socket, as browsers and undici do. Every request here is safe to
   * repeat: reads, and commands carrying their id.
   */
  async request(method: string, path: string, token: string, body?: unknown): Promise<Answer> {
    try {
      return await this.send(method, path, token, body);
    } catch (error) {
      if (!(error instanceof StaleSocket)) throw error;
      this.resent++;
      return this.send(method, path, token, body);
    }
  }

  private send(method: string, path: string, token: string, body?: unknown): Promise<Answer> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((done, fail) => {
      const req = http.request(
        new URL(path, this.base),
        {
          method,
          agent: this.agent,
          headers: {
            authorization: `Bearer ${token}`,
            ...(payload ? { 'content-type': 'application/json' } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          );
          res.on('error', fail);
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) =>
        fail(
          req.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE')
            ? new StaleSocket(error.message)
            : error,
        ),
      );
      req.end(payload);
    });
  }

  /** A request that must answer 2xx; anything else stops the bench with the problem's body. */
  async expect(method: string, path: string, token: string, body?: unknown): Promise<unknown> {
    const answer = await this.request(method, path, token, body);
    if (answer.status < 200 || answer.status > 299)
      throw new Error(`${method} ${path} answered ${answer.status}: ${answer.body.slice(0, 500)}`);
    return answer.body ? JSON.parse(answer.body) : undefined;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** What `seed synthetic` printed last (API.md "Command line"). */
export type SeedSummary = {
  events: number;
  position: number;
  campaignIds: string[];
  unitIds: string[];
  memberIds: string[];
};

export type Tokens = { operator: string; viewer: string; auditor: string };

export type Route = Readonly<{ name: string; path: string; token: keyof Tokens }>;

/**
 * Every dashboard route of API.md once, on the seed's ids: its first campaign (the one the writer
 * feeds), the root unit (the whole province), its first district (a subtree), its first member. The
 * name is the row of the report, the same at every size.
 */
export function dashboardRoutes(seed: SeedSummary, week: { from: string; to: string }): Route[] {
  const campaign = seed.campaignIds[0]!;
  const root = seed.unitIds[0]!;
  const district = seed.unitIds[1]!;
  const member = seed.memberIds[0]!;
  const q = encodeURIComponent;
  return [
    {
      name: 'GET /campaigns/:c0/progress',
      path: `/campaigns/${q(campaign)}/progress`,
      token: 'viewer',
    },
    {
      name: 'GET /leaderboards/members?metric=citizensAssisted',
      path: '/leaderboards/members?metric=citizensAssisted',
      token: 'viewer',
    },
    {
      name: 'GET /leaderboards/members?metric=citizensAssisted&unitId=:d0&from=…&to=… (c0 week)',
      path: `/leaderboards/members?metric=citizensAssisted&unitId=${q(district)}&from=${week.from}&to=${week.to}`,
      token: 'viewer',
    },
    {
      name: 'GET /leaderboards/members?metric=verifiedHours',
      path: '/leaderboards/members?metric=verifiedHours',
      token: 'viewer',
    },
    {
      name: 'GET /leaderboards/members?metric=verifiedHours&campaignId=:c0',
      path: `/leaderboards/members?metric=verifiedHours&campaignId=${q(campaign)}`,
      token: 'viewer',
    },
    {
      name: 'GET /leaderboards/units?metric=citizensAssisted',
      path: '/leaderboards/units?metric=citizensAssisted',
      token: 'viewer',
    },
    { name: 'GET /units/:root/summary', path: `/units/${q(root)}/summary`, token: 'viewer' },
    {
      name: 'GET /audit/members/:m0/hours',
      path: `/audit/members/${q(member)}/hours`,
      token: 'auditor',
    },
    {
      name: 'GET /units/:root/digital-skills',
      path: `/units/${q(root)}/digital-skills`,
      token: 'viewer',
    },
    {
      name: 'GET /units/:d0/programmes?from=2025-01-01&to=2025-03-31',
      path: `/units/${q(district)}/programmes?from=2025-01-01&to=2025-03-31`,
      token: 'viewer',
    },
    { name: 'GET /members?limit=50', path: '/members?limit=50', token: 'viewer' },
  ];
}

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
