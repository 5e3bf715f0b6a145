import { createHash, hash as digest } from 'node:crypto';

/**
 * The log's Merkle tree as RFC 9162 §2.1 (Certificate Transparency 2.0) defines it, with no storage:
 * what the PostgreSQL tables store, what a proof needs and how a proof is checked.
 *
 * Leaves are numbered 0, 1, 2, … in feed order. A stored hash is the hash of a COMPLETE subtree,
 * addressed by (level, index): level 0 holds the leaf hashes, and node (L, i) covers leaves
 * [i·2^L, (i+1)·2^L). A complete subtree never changes once its last leaf exists, so rows are only
 * ever inserted. The hash of any other range, the tree head of size n included, is a fold of at most
 * log2(n) stored hashes (`subtreeNodes`), as in golang.org/x/mod/sumdb/tlog ("stored hash index").
 *
 * Indices are JavaScript numbers: exact up to 2^53 leaves, far beyond any log this system will hold.
 */

export type NodeRef = Readonly<{ level: number; index: number }>;
/** A half-open range of leaves [lo, hi). */
export type LeafRange = readonly [lo: number, hi: number];

/** MTH({d}) = SHA-256(0x00 ‖ d). One-shot hashing: the tree computes about two of these per event. */
export function leafHash(data: Uint8Array): Buffer {
  const input = Buffer.allocUnsafe(1 + data.length);
  input[0] = 0x00;
  input.set(data, 1);
  return digest('sha256', input, 'buffer');
}

/** An interior node: SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  const input = Buffer.allocUnsafe(1 + left.length + right.length);
  input[0] = 0x01;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return digest('sha256', input, 'buffer');
}

/** The largest power of two strictly below n (n ≥ 2): RFC 9162's split point k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * [lo, hi) as the maximal complete aligned subtrees it is made of, left to right (sizes descending
 * for every range the RFC's recursion produces, since lo is then a multiple of a power of two ≥ hi-lo).
 */
export function subtreeNodes(lo: number, hi: number): NodeRef[] {
  const nodes: NodeRef[] = [];
  while (lo < hi) {
    let level = 0;
    while (lo % 2 ** (level + 1) === 0 && lo + 2 ** (level + 1) <= hi) level += 1;
    nodes.push({ level, index: lo / 2 ** level });
    lo += 2 ** level;
  }
  return nodes;
}

/** MTH of a range from the hashes of its `subtreeNodes`, in the same order: a right fold. */
export function foldSubtrees(hashes: readonly Uint8Array[]): Buffer {
  if (!hashes.length) return createHash('sha256').digest(); // MTH({}) = SHA-256()
  let hash: Buffer = Buffer.from(hashes[hashes.length - 1]!);
  for (let i = hashes.length - 2; i >= 0; i--) hash = nodeHash(hashes[i]!, hash);
  return hash;
}

/** MTH(D[0:n]) straight from the leaf hashes, by the RFC's recursive definition (tests, small trees). */
export function rootOfLeaves(leaves: readonly Uint8Array[], lo = 0, hi = leaves.length): Buffer {
  if (hi - lo === 0) return createHash('sha256').digest();
  if (hi - lo === 1) return Buffer.from(leaves[lo]!);
  const k = splitPoint(hi - lo);
  return nodeHash(rootOfLeaves(leaves, lo, lo + k), rootOfLeaves(leaves, lo + k, hi));
}

/** The ranges whose hashes make the inclusion proof PATH(m, D[0:n]) of RFC 9162 §2.1.3.1, leaf's sibling first. */
export function inclusionRanges(m: number, n: number): LeafRange[] {
  if (!(m >= 0 && m < n)) throw new RangeError(`leaf ${m} is not in a tree of size ${n}`);
  const ranges: LeafRange[] = [];
  let lo = 0;
  let hi = n;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (m < lo + k) {
      ranges.push([lo + k, hi]);
      hi = lo + k;
    } else {
      ranges.push([lo, lo + k]);
      lo += k;
    }
  }
  return ranges.reverse(); // the recursion appends the outer sibling last
}

/** The ranges of the consistency proof PROOF(m, D[0:n]) of RFC 9162 §2.1.4.1 (0 < m ≤ n). */
export function consistencyRanges(m: number, n: number): LeafRange[] {
  if (!(m > 0 && m <= n)) throw new RangeError(`no consistency proof from size ${m} to ${n}`);
  const subproof = (size: number, lo: number, hi: number, complete: boolean): LeafRange[] => {
    if (size === hi - lo) return complete ? [] : [[lo, hi]];
    const k = splitPoint(hi - lo);
    if (size <= k) return [...subproof(size, lo, lo + k, complete), [lo + k, hi]];
    return [...subproof(size - k, lo + k, hi, false), [lo, lo + k]];
  };
  return subproof(m, 0, n, true);
}

/** Every stored node a list of ranges needs, without repeats (one round trip to the store). */
export function nodesOf(ranges: readonly LeafRange[]): NodeRef[] {
  const seen = new Map<string, NodeRef>();
  for (const [lo, hi] of ranges)
    for (const node of subtreeNodes(lo, hi)) seen.set(`${node.level}:${node.index}`, node);
  return [...seen.values()];
}

/** The hashes of ranges, given a lookup of stored nodes (`nodeKey` → hash). */
export function hashRanges(
  ranges: readonly LeafRange[],
  stored: ReadonlyMap<string, Uint8Array>,
): Buffer[] {
  return ranges.map(([lo, hi]) =>
    foldSubtrees(
      subtreeNodes(lo, hi).map((node) => {
        const hash = stored.get(nodeKey(node));
        if (!hash) throw new Error(`stored hash ${nodeKey(node)} is missing`);
        return hash;
      }),
    ),
  );
}

export const nodeKey = (node: NodeRef): string => `${node.level}:${node.index}`;

const isPowerOfTwo = (x: number) => x > 0 && 2 ** Math.round(Math.log2(x)) === x;
const odd = (x: number) => x % 2 === 1;
const half = (x: number) => Math.floor(x / 2);

/** RFC 9162 §2.1.3.2: does `proof` show the leaf hash at `index` in the tree of `size` with `root`? */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!(index >= 0 && index < size)) return false;
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leaf);
  for (const p of proof) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!odd(fn)) while (!(odd(fn) || fn === 0)) [fn, sn] = [half(fn), half(sn)];
    } else {
      r = nodeHash(r, p);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 §2.1.4.2: does `proof` show that the tree (size2, root2) extends (size1, root1)? */
export function verifyConsistency(
  size1: number,
  size2: number,
  root1: Uint8Array,
  root2: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (size1 === size2) return proof.length === 0 && Buffer.from(root1).equals(root2);
  if (!(size1 > 0 && size1 < size2) || proof.length === 0) return false;
  // A first tree whose size is a power of two is a complete subtree of the second: its root is the
  // proof's implicit first element.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (odd(fn)) [fn, sn] = [half(fn), half(sn)];
  let fr: Buffer = Buffer.from(path[0]!);
  let sr: Buffer = Buffer.from(path[0]!);
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!odd(fn)) while (!(odd(fn) || fn === 0)) [fn, sn] = [half(fn), half(sn)];
    } else {
      sr = nodeHash(sr, c);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return sn === 0 && fr.equals(root1) && sr.equals(root2);
}
