/**
 * The benches' HTTP client: HTTP/1.1 over kept-alive sockets, one request in flight per socket, as a
 * browser or a mobile client holds its connection.
 *
 * Written on `net` rather than `fetch` or `http.request` because the load generator shares the two
 * cores with the API and PostgreSQL: measured with a CPU profile of the commands bench, `fetch` (web
 * streams, undici) cost the generator more CPU per request than the API spent answering it, so the
 * bench measured its own client as much as the server. A request here is one string written once; an
 * answer is read by its Content-Length (the API sends one on every answer these benches read).
 */
import { connect, type Socket } from 'node:net';

export type Answer = { status: number; body: string };

type Waiting = { done: (answer: Answer) => void; fail: (error: Error) => void };

const HEAD_END = Buffer.from('\r\n\r\n');

/** One kept-alive socket to the server; `send` waits for the previous answer to be read. */
class Connection {
  private socket: Socket | undefined;
  private received: Buffer = Buffer.alloc(0);
  private waiting: Waiting | undefined;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  /** True when the request went out on a socket that had already carried an answer. */
  reused = false;

  send(request: string): Promise<Answer> {
    this.reused = this.socket !== undefined;
    const socket = (this.socket ??= this.open());
    return new Promise((done, fail) => {
      this.waiting = { done, fail };
      socket.write(request);
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private open(): Socket {
    const socket = connect({ host: this.host, port: this.port, noDelay: true });
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    const lost = (error?: Error) => {
      if (this.socket === socket) this.socket = undefined;
      const waiting = this.waiting;
      this.waiting = undefined;
      this.received = Buffer.alloc(0);
      waiting?.fail(error ?? new SocketClosed('the server closed the connection'));
    };
    socket.on('error', lost);
    socket.on('close', () => lost());
    return socket;
  }

  private read(chunk: Buffer): void {
    this.received = this.received.length ? Buffer.concat([this.received, chunk]) : chunk;
    const headEnd = this.received.indexOf(HEAD_END);
    if (headEnd < 0) return;
    const head = this.received.toString('latin1', 0, headEnd);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (!length) {
      this.waiting?.fail(new Error(`an answer without Content-Length: ${head.slice(0, 200)}`));
      this.close();
      return;
    }
    const end = headEnd + HEAD_END.length + Number(length[1]);
    if (this.received.length < end) return;
    const answer = {
      status: Number(head.slice(9, 12)),
      body: this.received.toString('utf8', headEnd + HEAD_END.length, end),
    };
    this.received = this.received.subarray(end);
    const waiting = this.waiting;
    this.waiting = undefined;
    if (/\r\nconnection: *close/i.test(head)) this.close();
    waiting?.done(answer);
  }
}

class SocketClosed extends Error {}

/** Up to `sockets` connections to one server; requests beyond that wait for a free one. */
export class HttpClient {
  private readonly host: string;
  private readonly port: number;
  private readonly free: Connection[] = [];
  private readonly queue: ((connection: Connection) => void)[] = [];
  private opened = 0;

  constructor(
    base: string,
    private readonly sockets: number,
  ) {
    const url = new URL(base);
    this.host = url.hostname;
    this.port = Number(url.port || 80);
  }

  /** Requests sent again because the server had closed the kept-alive socket they went out on. */
  resent = 0;

  /**
   * One request. Sent on a kept-alive socket that the server closed at that moment (its keep-alive
   * timeout, 5 s in Node, racing the reuse), it fails before any answer: such a request is sent once
   * more on a fresh socket, as browsers and undici do. Every request here is safe to repeat: reads,
   * and commands carrying their id.
   */
  async request(method: string, path: string, token: string, body?: unknown): Promise<Answer> {
    const payload = body === undefined ? '' : JSON.stringify(body);
    const request =
      `${method} ${path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\n` +
      `Authorization: Bearer ${token}\r\n` +
      // a read carries no body and so, as from a browser, no Content-Length either: with one, even
      // 0, the API's body parser reads an empty body, which no browser makes it do
      (payload
        ? `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n`
        : '') +
      `\r\n${payload}`;
    const connection = await this.take();
    try {
      return await connection.send(request);
    } catch (error) {
      if (!(error instanceof SocketClosed && connection.reused)) throw error;
      this.resent++;
      return await connection.send(request);
    } finally {
      this.give(connection);
    }
  }

  /** A request that must answer 2xx; anything else stops the bench with the problem's body. */
  async expect(method: string, path: string, token: string, body?: unknown): Promise<unknown> {
    const answer = await this.request(method, path, token, body);
    if (answer.status < 200 || answer.status > 299)
      throw new Error(`${method} ${path} answered ${answer.status}: ${answer.body.slice(0, 500)}`);
    return answer.body ? JSON.parse(answer.body) : undefined;
  }

  close(): void {
    for (const connection of this.free) connection.close();
  }

  private take(): Promise<Connection> {
    const connection = this.free.pop();
    if (connection) return Promise.resolve(connection);
    if (this.opened < this.sockets) {
      this.opened++;
      return Promise.resolve(new Connection(this.host, this.port));
    }
    return new Promise((done) => this.queue.push(done));
  }

  private give(connection: Connection): void {
    const next = this.queue.shift();
    if (next) next(connection);
    else this.free.push(connection);
  }
}
