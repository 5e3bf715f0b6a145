import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import { connectionCap, countConnectionRefused, type AppConfig, type Logger } from '#platform';

/** Node checks its header and request timeouts this often (its default, 30 s, added up to 30 s). */
const CHECK_INTERVAL_MS = 1_000;
/** An idle kept-alive connection waits this long for the next request (Node's default, kept). */
const KEEP_ALIVE_MS = 5_000;
/** At most one log line per this period while connections are being refused. */
const REFUSAL_LOG_MS = 10_000;
/** At the cap, connections waiting this long for a whole request are the first to go… */
const SHED_AGE_MS = 1_000;
/** …a tenth of the cap at a time, at most once per this period. */
const SHED_EVERY_MS = 1_000;

/**
 * What connections may hold of the process. Node's defaults let a socket that sends nothing, or half a
 * request, keep its descriptor for 60 to 90 s (headersTimeout 60 s, checked every 30 s), and put no
 * bound on connections: measured with the file limit at 300, 400 such sockets took every descriptor,
 * and /health answered 503 (EMFILE on the database connection it needed) or was refused until they
 * timed out after 79 s. Here:
 * - the headers must arrive within HTTP_HEADERS_TIMEOUT (10 s) and the whole request within
 *   HTTP_REQUEST_TIMEOUT (30 s), checked every second; the socket is then answered 408 and closed;
 * - a connection on which nothing moves for HTTP_IDLE_TIMEOUT (60 s), such as one whose client asked
 *   for answers and reads none, is closed (within twice that when an answer is stuck mid-write);
 * - connections beyond the cap (HTTP_MAX_CONNECTIONS, else the file limit less a reserve for the
 *   database pools and the process's own files) are closed as soon as they are accepted, so that
 *   sockets can never take the descriptors the database connections need: the API goes on answering
 *   the connections it holds, and takes new ones again as others leave;
 * - while the cap refuses connections, the oldest of those that have not sent a whole request in a
 *   second (a tenth of the cap, once a second) are closed to make room: a client that is sending
 *   its request is not left out until idle sockets time out. Measured as above with the cap at 140:
 *   /health was refused for 10 s without this, for 1.5 s with it.
 */
export function limitConnections(server: Server, config: AppConfig, log: Logger): void {
  server.headersTimeout = config.headersTimeoutMs;
  server.requestTimeout = config.requestTimeoutMs;
  // Node's socket timeout: with no listener for it, the socket is destroyed once idle that long. An
  // answer stuck mid-write takes up to twice that: Node lets the first expiry pass when the write
  // queue changed since the last look (net.js _onTimeout; measured: 60 s gave 120 to 135 s).
  server.timeout = config.idleTimeoutMs;
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  // An option of http.createServer that @types/node does not list as a property; Node reads it when
  // the server starts listening (setupConnectionsTracking), which comes after this.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval =
    CHECK_INTERVAL_MS;
  const cap = connectionCap(config);
  if (cap === undefined) return;
  server.maxConnections = cap;
  const shed = shedWaitingConnections(server, Math.max(1, Math.floor(cap / 10)));
  let refused = 0;
  let loggedAt = 0;
  server.on('drop', () => {
    shed();
    countConnectionRefused();
    refused++;
    const now = Date.now();
    if (now - loggedAt < REFUSAL_LOG_MS) return;
    log.warn(
      { refused, maxConnections: cap },
      `refused ${refused} connection(s): ${cap} are open, the most this process takes (HTTP_MAX_CONNECTIONS, or the file limit less a reserve)`,
    );
    loggedAt = now;
    refused = 0;
  });
}

/**
 * Tracks the connections that have not yet sent a whole request (by when they connected, oldest first)
 * and answers a function that closes the oldest of them, `count` at most, once they waited
 * SHED_AGE_MS; it does nothing if it ran less than SHED_EVERY_MS ago.
 */
function shedWaitingConnections(server: Server, count: number): () => void {
  const waiting = new Map<Socket, number>(); // a Map iterates in insertion order: oldest first
  server.on('connection', (socket: Socket) => {
    waiting.set(socket, Date.now());
    socket.once('close', () => waiting.delete(socket));
  });
  server.on('request', (request: IncomingMessage) => waiting.delete(request.socket));
  let shedAt = 0;
  return () => {
    const now = Date.now();
    if (now - shedAt < SHED_EVERY_MS) return;
    shedAt = now;
    let closed = 0;
    for (const [socket, connectedAt] of waiting) {
      if (closed === count || now - connectedAt < SHED_AGE_MS) break;
      waiting.delete(socket);
      socket.destroy();
      closed++;
    }
  };
}
