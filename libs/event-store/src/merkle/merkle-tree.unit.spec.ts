import { createHash } from 'node:crypto';
import fc from 'fast-check';
import {
  consistencyRanges,
  hashRanges,
  inclusionRanges,
  leafHash,
  nodeHash,
  nodeKey,
  rootOfLeaves,
  subtreeNodes,
  foldSubtrees,
  verifyConsistency,
  verifyInclusion,
} from './merkle-tree.js';

const leaves = (n: number) =>
  Array.from({ length: n }, (_, i) => leafHash(createHash('sha256').update(`event ${i}`).digest()));

/** Every complete subtree's hash, as the PostgreSQL tables keep them. */
function storedNodes(leafHashes: Buffer[]): Map<string, Buffer> {
  const stored = new Map<string, Buffer>();
  let level: Buffer[] = leafHashes;
  for (let l = 0; level.length; l++) {
    level.forEach((hash, index) => stored.set(nodeKey({ level: l, index }), hash));
    const next: Buffer[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(nodeHash(level[i]!, level[i + 1]!));
    level = next;
  }
  return stored;
}

describe('the log Merkle tree (RFC 9162 §2.1)', () => {
  it('hashes a leaf and a node with their domain-separation prefixes', () => {
    const data = Buffer.alloc(32, 7);
    expect(leafHash(data)).toEqual(
      createHash('sha256')
        .update(Buffer.concat([Buffer.from([0]), data]))
        .digest(),
    );
    expect(nodeHash(data, data)).toEqual(
      createHash('sha256')
        .update(Buffer.concat([Buffer.from([1]), data, data]))
        .digest(),
    );
  });

  it('gives the empty tree the hash of the empty string', () => {
    expect(rootOfLeaves([]).toString('hex')).toBe(createHash('sha256').digest('hex'));
  });

  it('computes every tree head from stored complete subtrees as the recursive definition does', () => {
    const all = leaves(130);
    const stored = storedNodes(all);
    for (let n = 1; n <= all.length; n++) {
      const [root] = hashRanges([[0, n]], stored);
      expect(root).toEqual(rootOfLeaves(all.slice(0, n)));
      expect(subtreeNodes(0, n).length).toBeLessThanOrEqual(Math.ceil(Math.log2(n)) + 1);
    }
  });

  it('proves every leaf of every size, and a changed proof or leaf fails', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.nat(), (n, pick) => {
        const all = leaves(n);
        const stored = storedNodes(all);
        const m = pick % n;
        const root = rootOfLeaves(all);
        const proof = hashRanges(inclusionRanges(m, n), stored);
        expect(verifyInclusion(m, n, all[m]!, proof, root)).toBe(true);
        expect(verifyInclusion(m, n, leafHash(Buffer.from('other')), proof, root)).toBe(false);
        if (proof.length) {
          const bent = proof.map((p, i) => (i === pick % proof.length ? nodeHash(p, p) : p));
          expect(verifyInclusion(m, n, all[m]!, bent, root)).toBe(false);
          expect(verifyInclusion(m, n, all[m]!, proof.slice(1), root)).toBe(false);
        }
        if (n > 1) expect(verifyInclusion((m + 1) % n, n, all[m]!, proof, root)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('proves every earlier size consistent with a later one, and refuses a rewritten past', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.nat(), (n, pick) => {
        const all = leaves(n);
        const stored = storedNodes(all);
        const m = 1 + (pick % n);
        const proof = hashRanges(consistencyRanges(m, n), stored);
        const root1 = rootOfLeaves(all.slice(0, m));
        const root2 = rootOfLeaves(all);
        expect(verifyConsistency(m, n, root1, root2, proof)).toBe(true);
        const rewritten = [...all.slice(0, m - 1), leafHash(Buffer.from('forged'))];
        expect(verifyConsistency(m, n, rootOfLeaves(rewritten), root2, proof)).toBe(false);
        if (m < n) expect(verifyConsistency(m, n, root1, root1, proof)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('matches RFC 9162 on a known seven-leaf shape: the proof of leaf 6 is two hashes', () => {
    const all = leaves(7);
    expect(inclusionRanges(6, 7)).toEqual([
      [4, 6],
      [0, 4],
    ]);
    expect(inclusionRanges(0, 7)).toEqual([
      [1, 2],
      [2, 4],
      [4, 7],
    ]);
    expect(consistencyRanges(3, 7)).toEqual([
      [2, 3],
      [3, 4],
      [0, 2],
      [4, 7],
    ]);
    expect(foldSubtrees(subtreeNodes(4, 7).map((n) => storedNodes(all).get(nodeKey(n))!))).toEqual(
      rootOfLeaves(all, 4, 7),
    );
  });
});
