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
 * The name every pool of this process gives its connections (`pg_stat_activity.application_name`): the
 * process that started the embedded cluster tells them from another process's before it stops it.
 */
export const processConnectionName = `volunteer-campaigns:${process.pid}`;

export function openPool(
  config: pg.PoolConfig,
  onIdleError: (error: Error) => void = () => {},
): pg.Pool {
  const pool = new pg.Pool({
    connectionTimeoutMillis: connectTimeoutMs,
    keepAlive: true,
    application_name: processConnectionName,
    ...config,
  });
  pool.on('error', (error) => {
    if (!databaseOutage.failed(error)) onIdleError(error);
  });
  pool.on('connect', (client) => {
    client.on('error', (error) => void databaseOutage.failed(error));
    databaseOutage.connected();
  });
  return pool;
}
