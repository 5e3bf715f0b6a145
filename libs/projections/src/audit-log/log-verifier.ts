import {
  chainHash,
  foldSubtrees,
  leafHash,
  nodeHash,
  openNote,
  parseCheckpoint,
  parseVerifierKey,
  verifyConsistency,
  type FeedPosition,
  type RecordedEvent,
} from '#event-store';
import type { CheckpointsStore } from './checkpoints.store.js';
import type { MerkleTreeStore } from './merkle-tree.store.js';

export type FeedReader = (from: FeedPosition, maxCount: number) => Promise<RecordedEvent[]>;

export type LogVerification = Readonly<{
  ok: boolean;
  /** The size of the checkpoint held by the auditor. */
  treeSize: number;
  /** The latest signed size it was proven consistent with. */
  latestSize?: number;
  /** That checkpoint's signed note, as stored: what an auditor keeps for the next check. */
  latestNote?: string;
  /** What failed, naming the first leaf that differs when one does. */
  failure?: string;
  firstDifferingLeaf?: number;
}>;

/**
 * The Merkle tree head of a stream of leaf hashes, without keeping them: a stack of complete subtrees
 * (equal sizes merge), folded right to left at the end: the same shape as RFC 9162's MTH.
 */
class StreamingRoot {
  private readonly stack: { size: number; hash: Buffer }[] = [];
  count = 0;

  push(leaf: Buffer): void {
    let node = { size: 1, hash: leaf };
    while (this.stack.length && this.stack[this.stack.length - 1]!.size === node.size) {
      const left = this.stack.pop()!;
      node = { size: left.size * 2, hash: nodeHash(left.hash, node.hash) };
    }
    this.stack.push(node);
    this.count += 1;
  }

  root(): Buffer {
    if (!this.stack.length) return foldSubtrees([]); // MTH({}) = SHA-256(), the empty tree's head
    let hash = this.stack[this.stack.length - 1]!.hash;
    for (let i = this.stack.length - 2; i >= 0; i--) hash = nodeHash(this.stack[i]!.hash, hash);
    return hash;
  }
}

const describe = (e: RecordedEvent) =>
  `event ${e.eventId} (${e.streamId} version ${e.streamVersion})`;

/**
 * Holds the stored log to a checkpoint an auditor kept (`verify log --checkpoint`): every leaf is
 * recomputed from the stored events' fields in feed order (each stream's chain recomputed too, never
 * trusting a stored hash), the root of the first `treeSize` leaves is compared with the checkpoint's,
 * and the latest signed checkpoint is proven consistent with it. The first leaf that differs is
 * named by comparing with the tree as it was appended (audit_log_leaves / level-0 hashes).
 */
export async function verifyLog(
  deps: Readonly<{ readFeed: FeedReader; tree: MerkleTreeStore; checkpoints: CheckpointsStore }>,
  note: string,
  verifierKey: string,
): Promise<LogVerification> {
  const verifier = parseVerifierKey(verifierKey);
  let held;
  try {
    held = parseCheckpoint(openNote(note, [verifier]));
  } catch (error) {
    return { ok: false, treeSize: 0, failure: `checkpoint: ${(error as Error).message}` };
  }
  const n = held.treeSize;
  const fail = (failure: string, firstDifferingLeaf?: number): LogVerification => ({
    ok: false,
    treeSize: n,
    failure,
    ...(firstDifferingLeaf === undefined ? {} : { firstDifferingLeaf }),
  });

  const heads = new Map<string, string>(); // each stream's recomputed chain head
  const recomputed = new StreamingRoot();
  let firstDiff: { index: number; event?: RecordedEvent } | undefined;
  let from: FeedPosition = 'start';
  const batch = 5_000;
  while (recomputed.count < n) {
    const events = await deps.readFeed(from, Math.min(batch, n - recomputed.count));
    if (!events.length) break;
    const stored = await deps.tree.readNodes(
      events.map((_, i) => ({ level: 0, index: recomputed.count + i })),
    );
    for (const event of events) {
      const hash = chainHash(heads.get(event.streamId) ?? null, event);
      heads.set(event.streamId, hash);
      const leaf = leafHash(Buffer.from(hash, 'hex'));
      if (!firstDiff && !stored.get(`0:${recomputed.count}`)?.equals(leaf))
        firstDiff = { index: recomputed.count, event };
      recomputed.push(leaf);
    }
    from = events[events.length - 1]!.globalPosition;
  }

  const name = async (index: number, event?: RecordedEvent) => {
    const [leaf] = (await deps.tree.leavesAt([index])).values();
    if (event && leaf?.eventId === event.eventId)
      return `leaf ${index} differs: ${describe(event)} no longer hashes to what the tree recorded`;
    const was = leaf ? ` where the tree recorded event ${leaf.eventId}` : '';
    return `leaf ${index} differs: the log has ${event ? describe(event) : 'no event'}${was}`;
  };
  if (recomputed.count < n) {
    const index = firstDiff?.index ?? recomputed.count;
    return fail(
      `the log holds ${recomputed.count} events, the checkpoint ${n}: ${await name(index, firstDiff?.event)}`,
      index,
    );
  }
  if (!recomputed.root().equals(held.rootHash)) {
    if (n === 0) return fail("the checkpoint's root differs from the empty tree's (size 0)");
    if (!firstDiff)
      return fail(
        'the recomputed root differs from the checkpoint, and the stored tree was rewritten to match the log',
      );
    return fail(await name(firstDiff.index, firstDiff.event), firstDiff.index);
  }

  const latest = await deps.checkpoints.latest();
  if (!latest || latest.treeSize < n)
    return fail(`the latest signed checkpoint (size ${latest?.treeSize ?? 0}) is older than ${n}`);
  let head;
  try {
    head = parseCheckpoint(openNote(latest.note, [verifier]));
  } catch (error) {
    return fail(`latest checkpoint: ${(error as Error).message}`);
  }
  if (head.origin !== held.origin)
    return fail(`the checkpoint is of log "${held.origin}", this one signs as "${head.origin}"`);
  // Every tree extends the empty one: RFC 9162 defines no proof from size 0, and none is needed.
  const proven = { ok: true, treeSize: n, latestSize: head.treeSize, latestNote: latest.note };
  if (n === 0) return proven;
  const proof = await deps.tree.consistencyProof(n, head.treeSize);
  if (!verifyConsistency(n, head.treeSize, held.rootHash, head.rootHash, proof))
    return fail(`the latest checkpoint (size ${head.treeSize}) is not consistent with size ${n}`);
  return proven;
}
