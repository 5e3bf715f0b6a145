import { connect, createServer, type Server, type Socket } from 'node:net';
import { isConnectionFailure } from '#event-store';
import { connectTimeoutMs, openPool, unansweredStatementMs } from '#platform';
import { createTestDatabase } from '../harness/database.js';

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

/**
 * A proxy to the test server that can stop forwarding without closing anything: every PostgreSQL
 * process frozen, or a network path that drops packets, looks like this from the client.
 */
class FreezingProxy {
  frozen = false;
  private readonly pairs: [Socket, Socket][] = [];
  private readonly server: Server;

  constructor(private readonly target: URL) {
    this.server = createServer((client) => {
      if (this.frozen) return void this.pairs.push([client, client]); // accepted, never answered
      const upstream = connect(Number(target.port), target.hostname);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
      this.pairs.push([client, upstream]);
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const url = new URL(this.target);
    url.host = `127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return url.toString();
  }

  freeze(): void {
    this.frozen = true;
    for (const [client, upstream] of this.pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  async close(): Promise<void> {
    for (const pair of this.pairs) for (const socket of pair) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

// The two tests wait out timers (the unanswered statement's, a slow statement's): they run side by
// side (each on a pool of its own), so that the suite waits for the longer one alone.
describe('a pool whose server stops answering on a connection already open', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase('silent_open');
  });
  afterAll(() => database?.drop());

  it.concurrent(
    'drops that connection when a fresh one is not answered either, and lends it no more',
    async () => {
      // given a pool whose one client has answered through a proxy
      const proxy = new FreezingProxy(new URL(database.url));
      const pool = openPool({ connectionString: await proxy.listen(), max: 1 });
      try {
        expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);

        // when everything behind the proxy stops answering and a statement is sent
        proxy.freeze();
        const startedAt = Date.now();
        const failure = await pool.query('SELECT 2').catch((error: unknown) => error);

        // then it fails as a connection failure once the server is found not to answer at all
        const elapsed = Date.now() - startedAt;
        expect(isConnectionFailure(failure)).toBe(true);
        expect(elapsed).toBeGreaterThanOrEqual(unansweredStatementMs - 100);
        expect(elapsed).toBeLessThan(unansweredStatementMs + connectTimeoutMs * 2);
        expect(pool.totalCount).toBe(0); // the client is not lent again
      } finally {
        await pool.end();
        await proxy.close();
      }
    },
    60_000,
  );

  it.concurrent(
    'keeps a statement that is slow on a server that answers',
    async () => {
      // given a pool straight to the server
      const pool = openPool({ connectionString: database.url, max: 1 });
      try {
        // when a statement runs longer than the wait before the server is asked
        const slept = await pool.query(
          `SELECT pg_sleep(${(unansweredStatementMs + 2_000) / 1000}) AS slept`,
        );

        // then it is answered, not dropped
        expect(slept.rows).toHaveLength(1);
      } finally {
        await pool.end();
      }
    },
    60_000,
  );
});
