import type pg from 'pg';
import { READS, ReadModelReader, rows, type Sql } from '#projections';
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
});
