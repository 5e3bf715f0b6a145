import type { Socket } from 'node:net';
import pg from 'pg';
import { databaseOutage } from './database-outage.js';

/**
 * A connection pool that outlives its server's restarts. An EventEmitter 'error' without a listener
 * ends the process, and a pg client emits one when its server terminates the session (57P01 on a
 * restart or failover) or the socket closes. pg-pool listens on its clients only while they are idle:
 * it removes that listener when a client is borrowed and re-emits idle clients' errors on the pool. So
 * every client gets a listener of its own for its whole life, here, when it connects: a borrowed client
 * that loses its server (a transaction holding an advisory lock, a LISTEN connection) then fails its
 * query in flight, the holder's `release` drops it (pg-pool discards a client that is no longer
 * queryable), and the next query opens a fresh connection. Failures and new connections are reported
 * to `databaseOutage`, which logs the outage once.
 *
 * A server that stops answering (its postmaster frozen, a network path that drops packets) would
 * otherwise hold every request that needs a new connection forever, and every request queued behind
 * them: a connection attempt, and a wait for a free client, give up after `connectTimeoutMs` with an
 * error that counts as a connection failure (503 with Retry-After), and TCP keepalive lets the kernel
 * notice a peer that vanished under an idle connection.
 */
export const connectTimeoutMs = 5_000;

/**
 * How long a statement may go unanswered before the server is asked, on a fresh connection, whether
 * it is there at all (`dropWhenUnanswered`).
 */
export const unansweredStatementMs = 10_000;

/**
 * The name every pool of this process gives its connections (`pg_stat_activity.application_name`): the
 * process that started the embedded cluster tells them from another process's before it stops it.
 */
export const processConnectionName = `volunteer-campaigns:${process.pid}`;

export function openPool(
  config: pg.PoolConfig,
  onIdleError: (error: Error) => void = () => {},
): pg.Pool {
  const options: pg.PoolConfig = {
    connectionTimeoutMillis: connectTimeoutMs,
    keepAlive: true,
    application_name: processConnectionName,
    ...config,
  };
  const pool = new pg.Pool(options);
  pool.on('error', (error) => {
    if (!databaseOutage.failed(error)) onIdleError(error);
  });
  pool.on('connect', (client) => {
    client.on('error', (error) => void databaseOutage.failed(error));
    dropWhenUnanswered(client, () => answers(options));
    databaseOutage.connected();
  });
  return pool;
}

/**
 * A server that stops answering on a connection already open (every PostgreSQL process frozen, a
 * network path that drops packets without closing them) held the requests on it for as long as it
 * lasted: 40 s of freeze, 40 s of `/health`. So when something was sent on a client and nothing has
 * come back for `unansweredStatementMs`, the server is asked on a fresh connection; if that is not
 * answered within `connectTimeoutMs` either, the client's connection is dropped. Its statement fails
 * as a connection failure (503 with Retry-After), a transaction it was in ends with the connection,
 * and the pool never lends it again. A statement that is merely slow (a rebuild's index, minutes at
 * 10 M events) goes on: the server answered the question. pg's own `query_timeout` could not tell
 * the two apart, and leaves a timed-out statement, perhaps in a transaction, on the connection it
 * gives back. What was sent since the server last said it was ready for a query tells an unanswered
 * statement from an idle connection (a pooled client, a LISTEN waiting for notifications).
 */
function dropWhenUnanswered(client: pg.PoolClient, serverAnswers: () => Promise<boolean>): void {
  const { connection } = client as unknown as pg.Client;
  const socket = connection.stream as Socket;
  let sentWhenReady = socket.bytesWritten;
  const waiting = () => socket.bytesWritten > sentWhenReady;
  connection.on('readyForQuery', () => (sentWhenReady = socket.bytesWritten));
  socket.setTimeout(unansweredStatementMs);
  socket.on('timeout', () => {
    if (!waiting()) return; // idle: the timer starts again with the next statement
    void serverAnswers().then((alive) => {
      if (!waiting() || socket.destroyed) return;
      if (alive)
        socket.setTimeout(unansweredStatementMs); // slow, not gone: look again later
      else
        socket.destroy(
          Object.assign(new Error('PostgreSQL stopped answering on this connection'), {
            code: 'ETIMEDOUT',
          }),
        );
    });
  });
}

/**
 * Whether the server answers a fresh connection within `connectTimeoutMs`: `SELECT 1`, or a refusal
 * in its own words (too many connections, starting up), which is an answer too.
 */
async function answers(options: pg.PoolConfig): Promise<boolean> {
  const probe = new pg.Client({ ...options, query_timeout: connectTimeoutMs });
  probe.on('error', () => undefined); // a probe that fails says so by its answer
  try {
    await probe.connect();
    await probe.query('SELECT 1');
    return true;
  } catch (error) {
    return error instanceof pg.DatabaseError; // the server's own message, not a socket's failure
  } finally {
    void probe.end().catch(() => undefined);
  }
}
