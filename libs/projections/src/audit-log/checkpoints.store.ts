import { formatCheckpoint, signNote, type NoteSigner } from '#event-store';
import type pg from 'pg';
import type { MerkleTreeStore } from './merkle-tree.store.js';

export type SignedCheckpoint = Readonly<{
  treeSize: number;
  rootHash: string; // standard base64, as in the note
  signedAt: string;
  note: string;
}>;

type CheckpointRow = { tree_size: string; root_hash: Buffer; signed_at: Date; note: string };

const toCheckpoint = (row: CheckpointRow): SignedCheckpoint => ({
  treeSize: Number(row.tree_size),
  rootHash: row.root_hash.toString('base64'),
  signedAt: row.signed_at.toISOString(),
  note: row.note,
});

/** Every signed tree head, kept forever: an auditor may come back with any of them. */
export class CheckpointsStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly tree: MerkleTreeStore,
  ) {}

  /**
   * Signs the tree's current head when it has grown past the latest checkpoint. Two processes may race:
   * the size is the key, and both would sign the same root, so the second insert simply does nothing.
   */
  async signIfGrown(signer: NoteSigner, origin: string): Promise<SignedCheckpoint | undefined> {
    const { treeSize } = await this.tree.state();
    const latest = await this.latest();
    if (treeSize === 0 || (latest && latest.treeSize >= treeSize)) return undefined;
    const rootHash = await this.tree.root(treeSize);
    const note = signNote(formatCheckpoint({ origin, treeSize, rootHash }), signer);
    const { rows } = await this.pool.query<CheckpointRow>(
      `INSERT INTO audit_log_checkpoints (tree_size, root_hash, note) VALUES ($1, $2, $3)
       ON CONFLICT (tree_size) DO NOTHING RETURNING *`,
      [treeSize, rootHash, note],
    );
    return rows[0] ? toCheckpoint(rows[0]) : undefined;
  }

  async latest(): Promise<SignedCheckpoint | undefined> {
    const { rows } = await this.pool.query<CheckpointRow>(
      'SELECT * FROM audit_log_checkpoints ORDER BY tree_size DESC LIMIT 1',
    );
    return rows[0] ? toCheckpoint(rows[0]) : undefined;
  }

  /**
   * The log position of the latest checkpoint's last leaf: every event up to it is under a signature
   * (leaves are the events in feed order). None before the first checkpoint.
   */
  async signedPosition(): Promise<bigint | undefined> {
    const { rows } = await this.pool.query<{ global_position: string }>(
      `SELECT l.global_position FROM audit_log_checkpoints c
       JOIN audit_log_leaves l ON l.leaf_index = c.tree_size - 1
       ORDER BY c.tree_size DESC LIMIT 1`,
    );
    return rows[0] ? BigInt(rows[0].global_position) : undefined;
  }

  async bySize(treeSize: number): Promise<SignedCheckpoint | undefined> {
    const { rows } = await this.pool.query<CheckpointRow>(
      'SELECT * FROM audit_log_checkpoints WHERE tree_size = $1',
      [treeSize],
    );
    return rows[0] ? toCheckpoint(rows[0]) : undefined;
  }

  /** Oldest first, from `fromSize` (inclusive). */
  async list(fromSize: number, limit: number): Promise<SignedCheckpoint[]> {
    const { rows } = await this.pool.query<CheckpointRow>(
      'SELECT * FROM audit_log_checkpoints WHERE tree_size >= $1 ORDER BY tree_size LIMIT $2',
      [fromSize, limit],
    );
    return rows.map(toCheckpoint);
  }
}
