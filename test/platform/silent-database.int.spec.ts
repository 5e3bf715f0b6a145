import { createServer, type Server, type Socket } from 'node:net';
import { isConnectionFailure } from '#event-store';
import { connectTimeoutMs, openPool } from '#platform';

/**
 * A database that stops answering must not hold requests forever: the pools every component opens give
 * up on a connection attempt, and on a wait for a free client, with an error the API answers 503.
 */
describe('a pool facing a server that accepts connections and never answers', () => {
  let server: Server;
  let port: number;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    server = createServer((socket) => {
      sockets.push(socket); // read nothing, answer nothing: a frozen postmaster looks like this
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fails queries with a connection failure after the connect timeout, the queued one too', async () => {
    // given a pool of one connection to the silent server
    const pool = openPool({ connectionString: `postgres://u:p@127.0.0.1:${port}/db`, max: 1 });
    const startedAt = Date.now();

    // when two queries are sent (the second waits for the first one's client)
    const outcomes = await Promise.allSettled([pool.query('SELECT 1'), pool.query('SELECT 2')]);

    // then both fail as connection failures, within a moment of the timeout
    const elapsed = Date.now() - startedAt;
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect(isConnectionFailure((outcome as PromiseRejectedResult).reason)).toBe(true);
    }
    expect(elapsed).toBeGreaterThanOrEqual(connectTimeoutMs - 100);
    expect(elapsed).toBeLessThan(connectTimeoutMs * 3);
    await pool.end();
  });
});
