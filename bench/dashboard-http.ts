/**
 * The HTTP client of the dashboard bench: keep-alive sockets, as a dashboard's browser keeps them.
 */
import http from 'node:http';

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
