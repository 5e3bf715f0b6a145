import type { Server } from 'node:http';
import { connectionCap, type AppConfig, type Logger } from '#platform';

/** Node checks its header and request timeouts this often (its default, 30 s, added up to 30 s). */
const CHECK_INTERVAL_MS = 1_000;
/** An idle kept-alive connection waits this long for the next request (Node's default, kept). */
const KEEP_ALIVE_MS = 5_000;
/** At most one log line per this period while connections are being refused. */
const REFUSAL_LOG_MS = 10_000;

/**
 * What connections may hold of the process. Node's defaults let a socket that sends nothing, or half a
 * request, keep its descriptor for 60 to 90 s (headersTimeout 60 s, checked every 30 s), and put no
 * bound on connections: measured with the file limit at 300, 400 such sockets took every descriptor,
 * and /health answered 503 (EMFILE on the database connection it needed) or was refused until they
 * timed out after 79 s. Here:
 * - the headers must arrive within HTTP_HEADERS_TIMEOUT (10 s) and the whole request within
 *   HTTP_REQUEST_TIMEOUT (30 s), checked every second; the socket is then answered 408 and closed;
 * - connections beyond the cap (HTTP_MAX_CONNECTIONS, else the file limit less a reserve for the
 *   database pools and the process's own files) are closed as soon as they are accepted, so that
 *   sockets can never take the descriptors the database connections need: the API goes on answering
 *   the connections it holds, and takes new ones again as others leave.
 */
export function limitConnections(server: Server, config: AppConfig, log: Logger): void {
  server.headersTimeout = config.headersTimeoutMs;
  server.requestTimeout = config.requestTimeoutMs;
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  // An option of http.createServer that @types/node does not list as a property; Node reads it when
  // the server starts listening (setupConnectionsTracking), which comes after this.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval =
    CHECK_INTERVAL_MS;
  const cap = connectionCap(config);
  if (cap === undefined) return;
  server.maxConnections = cap;
  let refused = 0;
  let loggedAt = 0;
  server.on('drop', () => {
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
