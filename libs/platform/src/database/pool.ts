import pg from 'pg';

/**
 * A connection pool that outlives its server's restarts. pg-pool re-emits an idle client's error on
 * the pool, and an EventEmitter error without a listener ends the process: a PostgreSQL restart or
 * failover while the API sits idle would take the whole server down. With a listener the broken
 * client is dropped and the next query opens a fresh one.
 */
export function openPool(
  config: pg.PoolConfig,
  onIdleError: (error: Error) => void = () => {},
): pg.Pool {
  const pool = new pg.Pool(config);
  pool.on('error', onIdleError);
  return pool;
}
