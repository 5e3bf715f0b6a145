import type pg from 'pg';
import { QueryTurns, READS, ReadModelReader, ReadsBusy, rows, type Sql } from '#projections';
import { projectionFixture, type Fixture } from './support/projection-fixture.js';
import { scenario } from './support/scenario.js';

describe('reading a read model through one snapshot, shared while it has not moved', () => {
  let f: Fixture;
  let given: ReturnType<typeof scenario>;
  let reader: ReadModelReader;
  let posts = 0;

  const countPosts = async (sql: Sql, schema: string) =>
    Number(
      (await rows<{ n: string }>(sql, `SELECT count(*) AS n FROM ${schema}.cadence_posts`))[0]!.n,
    );
  const publish = async () => {
    posts += 1;
    await given.post(`rp${posts}`, 'w1', '2025-08-09T08:00:00+07:00');
    await f.settle();
  };
  const checkpoint = async () =>
    BigInt(
      (
        await rows<{ position: string }>(
          f.pool,
          `SELECT position FROM projection_checkpoints WHERE projection = $1 AND state = 'live'`,
          [READS.postingCadence],
        )
      )[0]!.position,
    );

  beforeAll(async () => {
    f = await projectionFixture('proj_reader');
    given = scenario(f);
    await given.unit('w1');
    await publish();
    reader = new ReadModelReader(f.pool);
  });
  afterAll(() => f.close());

  it('answers many callers at one checkpoint with one computation, and the checkpoint it reflects', async () => {
    let computed = 0;
    const query = async (sql: Sql, schema: string) => {
      computed += 1;
      return countPosts(sql, schema);
    };

    const answers = await Promise.all(
      Array.from({ length: 20 }, () => reader.read(READS.postingCadence, 'posts', query)),
    );

    expect(computed).toBe(1);
    expect(answers.map((a) => a.value)).toEqual(Array(20).fill(posts));
    expect(answers[0]!.position).toBe(await checkpoint());
  });

  it('computes afresh once the projection has moved', async () => {
    const before = await reader.read(READS.postingCadence, 'posts', countPosts);

    await publish();
    const after = await reader.read(READS.postingCadence, 'posts', countPosts);

    expect(after.value).toBe(before.value + 1);
    expect(after.position).toBeGreaterThan(before.position);
  });

  it('sees one state in all the statements of a query, even when a batch commits between them', async () => {
    const answer = await reader.read(READS.postingCadence, null, async (sql, schema) => {
      const first = await countPosts(sql, schema);
      await publish(); // the projection commits a batch while the query is half done
      return { first, second: await countPosts(sql, schema) };
    });

    expect(answer.value.second).toBe(answer.value.first);
    expect(answer.value.first).toBe(posts - 1);
    expect(answer.position).toBeLessThan(await checkpoint());
  });

  it('does not keep a failed answer', async () => {
    const failing = reader.read(READS.postingCadence, 'flaky', () =>
      Promise.reject(new Error('connection lost')),
    );
    await expect(failing).rejects.toThrow('connection lost');

    const retried = await reader.read(READS.postingCadence, 'flaky', countPosts);

    expect(retried.value).toBe(posts);
  });

  it('reads the live slots once for callers asking at the same moment, and never from before they asked', async () => {
    // given: a reader whose pool counts the statements that read the live slots
    let slotReads = 0;
    const counting = new Proxy(f.pool, {
      get(pool, name) {
        if (name === 'query')
          return (...args: Parameters<pg.Pool['query']>) => {
            if (String(args[0]).includes('projection_checkpoints')) slotReads += 1;
            return (pool.query as (...a: unknown[]) => unknown)(...args);
          };
        const value: unknown = Reflect.get(pool, name);
        return typeof value === 'function' ? (value as () => unknown).bind(pool) : value;
      },
    });
    const crowd = new ReadModelReader(counting);

    // when: 30 dashboards ask for three different answers at once
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        crowd.read(READS.postingCadence, `k${i % 3}`, countPosts),
      ),
    );
    const together = slotReads;
    // and, after a batch has committed, one more asks
    await publish();
    const later = await crowd.read(READS.postingCadence, 'k0', countPosts);

    // then: one slot read for the first, one for all who asked while it was in flight; and the later
    // caller sees the batch committed before it asked
    expect(together).toBeLessThanOrEqual(2);
    expect(answers.map((a) => a.value)).toEqual(Array(30).fill(posts - 1));
    expect(later.value).toBe(posts);
    expect(later.position).toBe(await checkpoint());
  });

  it('runs at most its cap of queries at once, the others in turn', async () => {
    // given a reader that runs two queries at once, and queries that each take a while
    const capped = new ReadModelReader(f.pool, new Map(), new QueryTurns(2, 5_000));
    let running = 0;
    let most = 0;
    const slow = async (sql: Sql, schema: string) => {
      most = Math.max(most, ++running);
      await sql.query('SELECT pg_sleep(0.05)');
      running -= 1;
      return countPosts(sql, schema);
    };

    // when eight distinct answers are asked for at once (nothing to share)
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => capped.read(READS.postingCadence, `slow${i}`, slow)),
    );

    // then every one is answered, never more than two computed together
    expect(answers.map((a) => a.value)).toEqual(Array(8).fill(posts));
    expect(most).toBe(2);
  });

  it('gives up on a read that waited longer than its limit for a turn, and goes on with the next', async () => {
    // given a reader that runs one query at a time and lets a read wait 100 ms for its turn
    const capped = new ReadModelReader(f.pool, new Map(), new QueryTurns(1, 100));
    const holding = capped.read(READS.postingCadence, null, async (sql, schema) => {
      await sql.query('SELECT pg_sleep(0.5)');
      return countPosts(sql, schema);
    });

    // when another read comes while the first holds the only turn
    const waiting = capped.read(READS.postingCadence, null, countPosts);

    // then it is refused as busy, the first is answered, and the turn is free again after it
    await expect(waiting).rejects.toBeInstanceOf(ReadsBusy);
    expect((await holding).value).toBe(posts);
    expect((await capped.read(READS.postingCadence, null, countPosts)).value).toBe(posts);
  });
});
