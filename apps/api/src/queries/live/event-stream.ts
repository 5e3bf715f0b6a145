import type { IncomingMessage, ServerResponse } from 'node:http';

export type StreamMessage = Readonly<{ type: string; id?: string; data: unknown }>;

/** One line, as a field of the event-stream format must be (a newline would start another field). */
const field = (value: string): string => value.replace(/[\r\n]/g, '');

const streamHeaders = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache, no-store, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no', // a reverse proxy (nginx) passes each message on at once
};

/**
 * A `text/event-stream` answer (WHATWG HTML, "Server-sent events") that costs the process a bounded
 * amount of memory whatever its client does.
 *
 * Each message is written straight to the response, so everything this process holds for the client
 * is `response.writableLength`: bytes the kernel's socket buffer did not take because the client does
 * not read. Once that is over `limit` after the kernel had its turn (below), the stream is ended (the
 * socket destroyed, since a graceful end would wait for the very bytes the client does not read): a
 * client costs at most `limit` plus the changes of one turn of the event loop. Nest's `@Sse()` queued messages in an
 * object-mode stream and its own list before the socket, up to 4 MB per client by default, which a
 * few hundred stuck clients multiplied by every change. An EventSource reconnects by itself after the
 * connection drops, and the stream's first message (`ready`) makes the page read its figures again.
 */
export class EventStream {
  private checking = false;

  constructor(
    private readonly response: ServerResponse,
    private readonly limit: number,
    private readonly onOverflow: (buffered: number) => void,
    /** How often a `heartbeat` message keeps the stream from looking idle (`LIVE_STREAM_HEARTBEAT`). */
    private readonly heartbeatMs: number,
  ) {}

  open(request: IncomingMessage): void {
    // A stream idles for minutes between changes: no inactivity timeout; keepalive probes let the
    // kernel notice a peer that vanished; each message leaves at once rather than after Nagle's wait.
    request.socket.setTimeout(0);
    request.socket.setKeepAlive(true);
    request.socket.setNoDelay(true);
    this.response.writeHead(200, streamHeaders);
    this.response.write('\n');
    // A quiet stream is cut by whatever proxy stands between (nginx and load balancers drop a
    // connection idle for 60 s): EventSource then reconnects, and every page reads its figures anew,
    // all at once after each quiet minute. The heartbeat goes through the same backlog check, so a
    // client that vanished without a word is ended too. It is a `heartbeat` message, not a comment
    // line (which EventSource swallows): the page sees it, and a stream silent for several of them
    // is one whose path died without a word (a router that rebooted, a laptop that slept), which the
    // browser, that only reads, would otherwise wait on for ever.
    const heartbeat = setInterval(
      () => this.write('event: heartbeat\ndata: {}\n\n'),
      this.heartbeatMs,
    );
    heartbeat.unref();
    this.response.once('close', () => clearInterval(heartbeat));
  }

  /**
   * What a HEAD gets: the headers of the stream, and the end (RFC 9110 §9.3.2). Node sends nothing of
   * a HEAD answer before it ends, so a stream opened for one answered nothing, ever.
   */
  head(): void {
    this.response.writeHead(200, streamHeaders);
    this.response.end();
  }

  send(message: StreamMessage): void {
    const id = message.id === undefined ? '' : `id: ${field(message.id)}\n`;
    this.write(`event: ${field(message.type)}\n${id}data: ${JSON.stringify(message.data)}\n\n`);
  }

  private write(text: string): void {
    if (this.response.destroyed || this.response.writableEnded) return;
    this.response.write(text);
    // Node corks the socket while a response writes and hands the bytes to the kernel on the next
    // tick, so right after a write they all look waiting; and changes often come several in one tick
    // (one read of the LISTEN connection). What is still waiting once the kernel had its turn is what
    // the client did not take.
    if (this.checking) return;
    this.checking = true;
    setImmediate(() => {
      this.checking = false;
      this.checkBacklog();
    });
  }

  private checkBacklog(): void {
    const waiting = this.response.writableLength;
    if (waiting <= this.limit || this.response.destroyed) return;
    this.response.destroy();
    this.onOverflow(waiting);
  }

  end(): void {
    if (!this.response.destroyed && !this.response.writableEnded) this.response.end();
  }
}
