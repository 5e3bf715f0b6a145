import { chainHash, foldSubtrees, formatCheckpoint, parseSignerKey, signNote } from '#event-store';
import { verifyLog } from '#projections';
import { feedOf, rewriteStream, tamperFixture } from './log-tamper-kit.js';

const KINDS = ['data', 'metadata', 'delete', 'insert', 'swap', 'truncate', 'rewrite'] as const;
/**
 * Random tamperings tried after the checkpoint, each in a transaction rolled back afterwards:
 * 143 of each kind, 1,001 in all (TAMPER_ITERATIONS overrides the number per kind).
 */
const PER_KIND = Number(process.env.TAMPER_ITERATIONS ?? 143);
const SEED = Number(process.env.TAMPER_SEED ?? Date.now() % 100_000);
type Kind = (typeof KINDS)[number];

/** mulberry32: a seeded generator, so that a failing run can be replayed from its seed. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('verify log against a kept checkpoint', () => {
  let f: Awaited<ReturnType<typeof tamperFixture>>;
  let feed: { position: bigint; streamId: string; version: bigint; eventId: string }[];

  beforeAll(async () => {
    f = await tamperFixture('tlog_tamper', 260);
    const { rows } = await f.pool.query<{
      global_position: string;
      stream_id: string;
      version: string;
      event_id: string;
    }>('SELECT global_position, stream_id, version, event_id FROM events ORDER BY global_position');
    feed = rows.map((r) => ({
      position: BigInt(r.global_position),
      streamId: r.stream_id,
      version: BigInt(r.version),
      eventId: r.event_id,
    }));
  });
  afterAll(() => f?.close());

  const verify = (sql: Parameters<typeof feedOf>[0]) =>
    verifyLog(
      { readFeed: feedOf(sql), tree: f.log.tree, checkpoints: f.log.checkpoints },
      f.held.note,
      f.verifierKey,
    );

  it('passes the untouched log, proving the later checkpoint consistent with the kept one', async () => {
    const client = await f.pool.connect();
    try {
      const result = await verify(client);
      expect(result).toEqual({
        ok: true,
        treeSize: f.held.treeSize,
        latestSize: feed.length,
        latestNote: (await f.log.checkpoints.latest())!.note,
      });
      expect(feed.length).toBeGreaterThan(f.held.treeSize);
    } finally {
      client.release();
    }
  });

  it.each(KINDS)(
    `detects and names the first differing leaf: ${PER_KIND} random "%s" tamperings`,
    async (kind: Kind) => {
      const seed = SEED + KINDS.indexOf(kind);
      const next = random(seed);
      const pick = (n: number) => Math.floor(next() * n);
      const n = f.held.treeSize;
      let detected = 0;
      const client = await f.pool.connect();
      try {
        for (let k = 0; k < PER_KIND; k++) {
          let i = pick(n);
          const at = feed[i]!;
          await client.query('BEGIN');
          if (kind === 'data' || kind === 'metadata') {
            await client.query(
              `UPDATE events SET ${kind} = ${kind} || jsonb_build_object('edited', $2::int) WHERE global_position = $1`,
              [at.position.toString(), k],
            );
          } else if (kind === 'delete') {
            await client.query('DELETE FROM events WHERE global_position = $1', [
              at.position.toString(),
            ]);
          } else if (kind === 'truncate') {
            await client.query('DELETE FROM events WHERE global_position >= $1', [
              at.position.toString(),
            ]);
          } else if (kind === 'swap') {
            let j = pick(n);
            if (j === i) j = (i + 1) % n;
            const b = feed[j]!;
            i = Math.min(i, j);
            // Three moves: the primary key is checked row by row.
            for (const [from, to] of [
              [at.position, -1n],
              [b.position, at.position],
              [-1n, b.position],
            ])
              await client.query(
                'UPDATE events SET global_position = $2 WHERE global_position = $1',
                [from!.toString(), to!.toString()],
              );
          } else if (kind === 'insert') {
            // Just before leaf i, at a position no event holds (the slot below an append's first event).
            while (i > 0 && feed[i - 1]!.position === feed[i]!.position - 1n) i -= 1;
            const forged = {
              eventId: `forged-${k}`,
              type: 'ShiftVerified',
              schemaVersion: 1,
              data: { shiftId: 'forged' },
              metadata: { recordedBy: 'mallory' },
              streamId: `shift-forged-${k}`,
              streamVersion: 0n,
            };
            await client.query(
              `INSERT INTO events (global_position, stream_id, version, event_id, type, schema_version, data, metadata, hash)
             VALUES ($1, $2, 0, $3, $4, 1, $5, $6, $7)`,
              [
                (feed[i]!.position - 1n).toString(),
                forged.streamId,
                forged.eventId,
                forged.type,
                forged.data,
                forged.metadata,
                chainHash(null, forged as never),
              ],
            );
          } else {
            await rewriteStream(client, at.streamId, Number(at.version));
          }
          const result = await verify(client);
          await client.query('ROLLBACK');
          if (result.ok || result.firstDifferingLeaf !== i)
            throw new Error(
              `seed ${seed}, iteration ${k}: ${kind} at leaf ${i} gave ${JSON.stringify(result)}`,
            );
          expect(result.failure).toContain(`leaf ${i} differs`);
          detected += 1;
        }
      } finally {
        await client.query('ROLLBACK').catch(() => undefined);
        client.release();
      }
      expect(detected).toBe(PER_KIND);
    },
  );

  it('refuses a checkpoint whose text was altered after signing', async () => {
    const client = await f.pool.connect();
    try {
      const other = await verifyLog(
        { readFeed: feedOf(client), tree: f.log.tree, checkpoints: f.log.checkpoints },
        f.held.note.replace(/\n\d+\n/, `\n${f.held.treeSize - 1}\n`),
        f.verifierKey,
      );
      expect(other).toMatchObject({
        ok: false,
        failure: expect.stringMatching(/^checkpoint: invalid signature/),
      });
    } finally {
      client.release();
    }
  });

  // Found by probing `verify log`: a checkpoint of size 0 (a well-formed C2SP checkpoint, the empty
  // tree) stopped the command on "Cannot read properties of undefined (reading 'hash')".
  it('holds the log to a checkpoint of the empty tree, and refuses one whose root is not the empty hash', async () => {
    // given checkpoints of size 0 signed by the log's key, one with the empty tree's root, one not
    const signer = parseSignerKey(f.signingKey);
    const empty = (rootHash: Buffer) =>
      signNote(formatCheckpoint({ origin: 'tamper.test/log', treeSize: 0, rootHash }), signer);
    const client = await f.pool.connect();
    try {
      // when the stored log is held to each
      const check = (note: string) =>
        verifyLog(
          { readFeed: feedOf(client), tree: f.log.tree, checkpoints: f.log.checkpoints },
          note,
          f.verifierKey,
        );
      const held = await check(empty(foldSubtrees([])));
      const wrong = await check(empty(Buffer.alloc(32, 7)));

      // then the empty tree is extended by the latest checkpoint, and a wrong root is named
      expect(held).toEqual({
        ok: true,
        treeSize: 0,
        latestSize: feed.length,
        latestNote: (await f.log.checkpoints.latest())!.note,
      });
      expect(wrong).toMatchObject({
        ok: false,
        failure: expect.stringMatching(/root differs from the empty tree's/),
      });
    } finally {
      client.release();
    }
  });
});
