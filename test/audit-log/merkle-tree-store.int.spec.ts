import { randomBytes } from 'node:crypto';
import pg from 'pg';
import {
  leafHash,
  rootOfLeaves,
  verifyConsistency,
  verifyInclusion,
  type RecordedEvent,
} from '#event-store';
import { MerkleTreeStore, migrateAuditLog } from '#projections';
import { createTestDatabase } from '../harness/database.js';

/** Events as the tree sees them: only id, position and chain hash matter to it. */
const events = (n: number, from = 0): RecordedEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    eventId: `e-${from + i}`,
    globalPosition: BigInt((from + i + 1) * 10),
    hash: randomBytes(32).toString('hex'),
    streamId: 's',
    streamVersion: BigInt(from + i),
    previousHash: null,
    type: 'T',
    schemaVersion: 1,
    data: {},
    metadata: {} as RecordedEvent['metadata'],
  }));

describe('the Merkle tree kept in PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: pg.Pool;

  beforeAll(async () => {
    db = await createTestDatabase('tlog_store');
    pool = new pg.Pool({ connectionString: db.url, max: 6 });
    await migrateAuditLog(pool);
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });
  beforeEach(() =>
    pool.query(
      'TRUNCATE audit_log_leaves, audit_log_hashes; UPDATE audit_log_state SET tree_size = 0, position = 0',
    ),
  );

  it('gives every size the RFC 9162 root, whatever the batches the leaves came in', async () => {
    const tree = new MerkleTreeStore(pool);
    const all = events(300);
    const leaves = all.map((e) => leafHash(Buffer.from(e.hash, 'hex')));
    const cuts = [1, 2, 3, 7, 8, 9, 64, 65, 100, 255, 256, 300];
    let at = 0;
    for (const cut of cuts) {
      await tree.append(all.slice(at, cut));
      at = cut;
      expect(await tree.root(cut)).toEqual(rootOfLeaves(leaves.slice(0, cut)));
    }
    for (const size of [5, 17, 128, 299])
      expect(await tree.root(size)).toEqual(rootOfLeaves(leaves.slice(0, size)));
    const proof = await tree.inclusionProof(77, 300);
    expect(verifyInclusion(77, 300, leaves[77]!, proof, rootOfLeaves(leaves))).toBe(true);
    const consistency = await tree.consistencyProof(99, 300);
    expect(
      verifyConsistency(
        99,
        300,
        rootOfLeaves(leaves.slice(0, 99)),
        rootOfLeaves(leaves),
        consistency,
      ),
    ).toBe(true);
  });

  it('adds each event once when several processes append the same pages at once', async () => {
    const all = events(500);
    const trees = [new MerkleTreeStore(pool), new MerkleTreeStore(pool), new MerkleTreeStore(pool)];
    // Each "process" appends overlapping pages in its own order; the state row serialises them.
    await Promise.all(
      trees.map(async (tree, t) => {
        for (let at = t * 20; at < 500; at += 60) await tree.append(all.slice(0, at + 60));
      }),
    );
    const state = await trees[0]!.state();
    expect(state).toEqual({ treeSize: 500, position: all[499]!.globalPosition });
    const leaves = all.map((e) => leafHash(Buffer.from(e.hash, 'hex')));
    expect(await trees[1]!.root(500)).toEqual(rootOfLeaves(leaves));
    expect((await trees[2]!.leafOf('e-321'))?.leafIndex).toBe(321);
  });
});
