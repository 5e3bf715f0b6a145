import request from 'supertest';

export type Answer = Readonly<{
  key: string;
  /** 'network' when no HTTP answer came at all (nothing listening, a reset connection). */
  status: number | 'network';
  at: number;
  retryAfter?: string;
  contentType?: string;
}>;

type Sent = Readonly<{ shiftId: string; body: object }>;

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Clients recording assistance as a careful mobile app would: each request carries its own
 * Idempotency-Key, and a request not answered 201 is kept to be resent later with the same key and
 * body. One client per shift, each waiting for its answer before the next request.
 */
export class AssistanceLoad {
  readonly answers: Answer[] = [];
  /** Key → the 201 body. */
  readonly acknowledged = new Map<
    string,
    { id: string; streamId: string; version: number; position: number }
  >();
  /** Key → the request, while it has no 201. */
  readonly unanswered = new Map<string, Sent>();
  /** Key → the request, every one sent. */
  readonly requests = new Map<string, Sent>();
  private running = true;
  private readonly clients: Promise<void>[];

  constructor(
    /** The API's; a test that restarts the API on another port moves it. */
    public url: string,
    private readonly bearer: string,
    shiftIds: readonly string[],
  ) {
    this.clients = shiftIds.map((shiftId, i) => this.client(i, shiftId));
  }

  private async client(index: number, shiftId: string): Promise<void> {
    for (let n = 0; this.running; n++) {
      const occurredAt = new Date(Date.now() - 60_000).toISOString();
      const body = { serviceType: 'eid_activation', citizens: 1 + (n % 3), occurredAt };
      const status = await this.send(`load-${index}-${n}`, { shiftId, body });
      if (status !== 201) await pause(200); // a real client waits Retry-After; a little is enough here
    }
  }

  async send(key: string, sent: Sent): Promise<number | 'network'> {
    this.requests.set(key, sent);
    this.unanswered.set(key, sent);
    let answer: Answer;
    try {
      const res = await request(this.url)
        .post(`/shifts/${sent.shiftId}/assistance`)
        .set('Authorization', this.bearer)
        .set('Idempotency-Key', key)
        .send(sent.body)
        .timeout(30_000);
      answer = {
        key,
        status: res.status,
        at: Date.now(),
        retryAfter: res.headers['retry-after'],
        contentType: res.headers['content-type'],
      };
      if (res.status === 201) {
        this.acknowledged.set(key, res.body);
        this.unanswered.delete(key);
      }
    } catch {
      answer = { key, status: 'network', at: Date.now() };
    }
    this.answers.push(answer);
    return answer.status;
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.clients);
  }

  /** Resends every request without a 201, with its key and body, until each is answered 201. */
  async resendUnanswered(maxRounds = 20): Promise<void> {
    for (let round = 0; round < maxRounds && this.unanswered.size > 0; round++) {
      for (const [key, sent] of [...this.unanswered]) await this.send(key, sent);
      if (this.unanswered.size > 0) await pause(500);
    }
  }

  /** When the first 201 was answered after `since`, if any. */
  firstAcknowledgedAfter(since: number): number | undefined {
    return this.answers.find((a) => a.status === 201 && a.at > since)?.at;
  }

  count(status: number | 'network'): number {
    return this.answers.filter((a) => a.status === status).length;
  }
}
