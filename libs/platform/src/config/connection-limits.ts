import { readFileSync } from 'node:fs';
import { parseDuration } from './audit-signing-key.js';
import { parseByteSize } from './byte-size.js';

/**
 * What one client may hold of the process through its connections (README "Configuration"): no
 * number of slow, idle or half-sent connections may stop or starve the API.
 */
export type ConnectionLimits = Readonly<{
  /** Live streams (`GET /events/live`) one process keeps open; beyond, 503 with Retry-After. */
  liveStreamsMax: number;
  /**
   * Bytes of a live stream that the process may hold for a client that does not read them (those the
   * kernel's socket buffer took already not counted); beyond, the server ends the stream.
   */
  liveStreamBuffer: number;
  /**
   * A live stream sends a `heartbeat` message this often, so that proxies and load balancers, which
   * cut a connection idle for 60 s or so, keep it open, and a page knows a silent stream for dead.
   */
  liveStreamHeartbeatMs: number;
  /** A request's line and headers arrive within this many ms of its first byte or its connection. */
  headersTimeoutMs: number;
  /** A whole request, body included, arrives within this many ms. */
  requestTimeoutMs: number;
  /**
   * A connection on which nothing moves for this many ms, neither the request's bytes in nor the
   * answer's out (an answer its client does not read), is closed.
   */
  idleTimeoutMs: number;
  /** Open HTTP connections; unset: the process's file limit less `FILE_RESERVE` (see below). */
  maxConnections?: number;
  /**
   * Read-model queries one process runs at once; beyond, reads wait their turn (503 after 5 s):
   * #projections query-turns.ts.
   */
  readQueriesMax: number;
}>;

type Read = (name: string) => string | undefined;

/**
 * The variable `name` as a whole number within [min, max]: `given` (an override) when there is one,
 * undefined when the variable is unset or wrong, a problem recorded for the latter.
 */
export function readWholeNumber(
  read: Read,
  problems: string[],
  name: string,
  min: number,
  max: number,
  given?: number,
): number | undefined {
  if (given !== undefined) return given;
  const raw = read(name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (/^\d+$/.test(raw) && n >= min && n <= max) return n;
  problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return undefined;
}

/**
 * Defaults, chosen for a province's dashboards and for volunteers on mobile networks:
 * - 1,000 live streams per process: a province has hundreds of wall screens and open pages; each
 *   stream costs a socket and at most `liveStreamBuffer` of memory (1,000 × 64 KiB = 64 MiB at worst).
 * - 64 KiB held for a client that stopped reading: a change message is about 150 bytes and the page
 *   only needs the latest one (it reads its figures again), so 400 unread messages, on top of what
 *   the kernel buffers, are a client that is gone or stuck, not one that is slow. Ended, an
 *   EventSource reconnects and reads its figures afresh.
 * - A heartbeat every 15 s on a live stream: below the idle timeouts that cut a quiet connection on
 *   its way (nginx's `proxy_read_timeout` and AWS load balancers 60 s, Cloudflare 100 s, some
 *   corporate proxies 30 s); a campaign's figures may not change for hours. A `heartbeat` message,
 *   which a page sees (a comment line it would not), tells it its stream is alive; and the few bytes
 *   also make a vanished client's socket fail (or its buffer fill) instead of holding a slot until
 *   TCP keepalive notices, two hours later by default.
 * - 10 s for the headers: a request's headers (under 2 KiB with a token) cross a 2G link in about a
 *   second; 10 s leaves room for three TCP retransmissions (1, 2, 4 s). A socket that sends nothing
 *   goes away then, not after Node's 60 s (90 s with its 30 s check interval).
 * - 30 s for a whole request: the largest body (64 KiB) at 20 kbit/s.
 * - 60 s with nothing moving on a connection: a mobile link stalled that long is gone, and a client
 *   that asks for answers and reads none (its socket's buffers full) no longer holds its connection
 *   for ever, which the two timeouts above, ended once a request has arrived, did not prevent. A live
 *   stream, quiet for minutes by design, turns it off (event-stream.ts): its backlog limit ends one
 *   nobody reads.
 * - 4 read-model queries at once: twice the cores of the machines it runs on, so that PostgreSQL
 *   always has a query to run while another waits for the network, and 16 of the database pool's 20
 *   connections stay for the projections, the audit log and health. Answers are shared per checkpoint,
 *   so dashboards rarely compute: 16 readers sustain about 3,000 reads a second (bench/RESULTS.md).
 */
export const connectionDefaults = {
  liveStreamsMax: 1000,
  liveStreamBuffer: 64 * 1024,
  liveStreamHeartbeatMs: 15_000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  idleTimeoutMs: 60_000,
  readQueriesMax: 4,
} as const;

/**
 * File descriptors kept for what is not an HTTP connection: the database pools (50 connections at
 * most), the LISTEN connection, Kafka's sockets, Node's own (epoll, pipes, stdio), log and data files.
 * Measured: 26 at rest, so about 80 with every pool full; twice that for safety.
 */
export const FILE_RESERVE = 160;

export function loadConnectionLimits(
  read: Read,
  overrides: Partial<ConnectionLimits>,
  problems: string[],
): ConnectionLimits {
  const whole = (name: string, min: number, max: number, given?: number) =>
    readWholeNumber(read, problems, name, min, max, given);
  const duration = (name: string, given?: number): number | undefined => {
    if (given !== undefined) return given;
    const raw = read(name);
    if (raw === undefined) return undefined;
    const ms = parseDuration(raw);
    if (ms !== undefined && ms >= 100 && ms <= 3_600_000) return ms;
    problems.push(`${name} must be a duration from 100ms to 1h such as 10s, got "${raw}"`);
    return undefined;
  };
  let liveStreamBuffer = overrides.liveStreamBuffer;
  const rawBuffer = read('LIVE_STREAM_BUFFER');
  if (liveStreamBuffer === undefined && rawBuffer !== undefined) {
    liveStreamBuffer = parseByteSize(rawBuffer);
    if (liveStreamBuffer === undefined)
      problems.push(`LIVE_STREAM_BUFFER must be a size such as 64kb, got "${rawBuffer}"`);
  }
  const limits = {
    liveStreamsMax:
      whole('LIVE_STREAMS_MAX', 0, 1_000_000, overrides.liveStreamsMax) ??
      connectionDefaults.liveStreamsMax,
    liveStreamBuffer: liveStreamBuffer ?? connectionDefaults.liveStreamBuffer,
    liveStreamHeartbeatMs:
      duration('LIVE_STREAM_HEARTBEAT', overrides.liveStreamHeartbeatMs) ??
      connectionDefaults.liveStreamHeartbeatMs,
    headersTimeoutMs:
      duration('HTTP_HEADERS_TIMEOUT', overrides.headersTimeoutMs) ??
      connectionDefaults.headersTimeoutMs,
    requestTimeoutMs:
      duration('HTTP_REQUEST_TIMEOUT', overrides.requestTimeoutMs) ??
      connectionDefaults.requestTimeoutMs,
    idleTimeoutMs:
      duration('HTTP_IDLE_TIMEOUT', overrides.idleTimeoutMs) ?? connectionDefaults.idleTimeoutMs,
    maxConnections: whole('HTTP_MAX_CONNECTIONS', 1, 10_000_000, overrides.maxConnections),
    readQueriesMax:
      whole('READ_QUERIES_MAX', 1, 1_000, overrides.readQueriesMax) ??
      connectionDefaults.readQueriesMax,
  };
  // Node refuses to start a server whose headers may take longer than the whole request.
  if (limits.headersTimeoutMs > limits.requestTimeoutMs)
    problems.push('HTTP_HEADERS_TIMEOUT must not be longer than HTTP_REQUEST_TIMEOUT');
  return limits;
}

/**
 * Connections the process may hold: `HTTP_MAX_CONNECTIONS`, else its file limit (the soft
 * RLIMIT_NOFILE, which Node raises to the hard one at start) less `FILE_RESERVE`, so that sockets
 * nobody reads can never take the descriptors the database pool needs. Undefined where the limit
 * cannot be read (not Linux): no cap.
 */
export function connectionCap(limits: ConnectionLimits): number | undefined {
  if (limits.maxConnections !== undefined) return limits.maxConnections;
  const files = openFilesLimit();
  return files === undefined ? undefined : Math.max(16, files - FILE_RESERVE);
}

function openFilesLimit(): number | undefined {
  try {
    const line = /^Max open files\s+(\d+|unlimited)/m.exec(
      readFileSync('/proc/self/limits', 'utf8'),
    );
    return line && line[1] !== 'unlimited' ? Number(line[1]) : undefined;
  } catch {
    return undefined;
  }
}
