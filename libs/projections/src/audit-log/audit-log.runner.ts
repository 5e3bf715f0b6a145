import {
  parseSignerKey,
  signNote,
  type EventStore,
  type NoteSigner,
  type RecordedEvent,
} from '#event-store';
import type pg from 'pg';
import { BackgroundLoop } from '../runner/background-loop.js';
import { CheckpointsStore } from './checkpoints.store.js';
import { MerkleTreeStore } from './merkle-tree.store.js';

export type AuditLogOptions = Readonly<{
  signingKey: string;
  origin: string;
  checkpointIntervalMs: number;
  /** Events appended to the tree per transaction. */
  batchSize?: number;
  idleMs?: number;
  log?: (line: string) => void;
}>;

/** The least time between two checkpoints signed because a reader asked (signCovering). */
const DEMAND_SIGNING_MS = 1_000;

/**
 * Follows the feed like a projection: reads from the tree's own position, appends leaves and moves
 * the position in one transaction, and signs a checkpoint when the tree has grown, at most every
 * `checkpointIntervalMs`. Safe to run in several processes at once (the state row serialises them).
 */
export class AuditLogRunner {
  readonly tree: MerkleTreeStore;
  readonly checkpoints: CheckpointsStore;
  private readonly signer: NoteSigner;
  private readonly loop: BackgroundLoop;

  constructor(
    pool: pg.Pool,
    private readonly store: EventStore,
    private readonly options: AuditLogOptions,
  ) {
    this.tree = new MerkleTreeStore(pool);
    this.checkpoints = new CheckpointsStore(pool, this.tree);
    this.signer = parseSignerKey(options.signingKey);
    this.loop = new BackgroundLoop('audit log', () => this.pass(), {
      idleMs: options.idleMs ?? 200,
      log: options.log,
    });
  }

  /** The last pass's failure, until a pass succeeds. */
  get lastError(): string | undefined {
    return this.loop.lastError;
  }

  /** The verifier key of the signer, as `note.NewVerifier` takes it. */
  get verifierKey(): string {
    return this.signer.verifierKey;
  }

  get origin(): string {
    return this.options.origin;
  }

  /** Signs `text` with the log's key: an hours certificate's attestation (attestationText). */
  signNote(text: string): string {
    return signNote(text, this.signer);
  }

  /**
   * Appends every event up to the feed's head; returns the number appended. The next page is read
   * while this one is appended (its start is this page's end, which the tree reaches by then, or
   * passes if another process appended meanwhile: the append skips what the tree already holds).
   */
  async catchUp(): Promise<number> {
    const batchSize = this.options.batchSize ?? 5_000;
    // Read as stored, never upcast (#domain upcastEvent): a leaf is the stored event's chain hash.
    const read = (position: bigint) =>
      this.store.readAll({
        fromPosition: position === 0n ? 'start' : position,
        maxCount: batchSize,
      });
    const start = await this.tree.state();
    let size = start.treeSize;
    let pending: Promise<RecordedEvent[]> | undefined = read(start.position);
    while (pending) {
      const page: RecordedEvent[] = await pending;
      pending = page.length === batchSize ? read(page[page.length - 1]!.globalPosition) : undefined;
      pending?.catch(() => undefined); // awaited on the next turn; a failure there is handled then
      if (page.length) size = (await this.tree.append(page)).treeSize;
    }
    return size - start.treeSize;
  }

  /** Signs the current head if the tree grew (ignores the interval: the loop enforces it). */
  sign() {
    return this.checkpoints.signIfGrown(this.signer, this.options.origin);
  }

  /**
   * Signs now when the tree holds `position` and no checkpoint covers it yet, unless a checkpoint was
   * signed less than `DEMAND_SIGNING_MS` ago; answers the log position the latest checkpoint covers
   * (none before the first). An hours certificate asked for with `?minPosition=` waits for a
   * checkpoint covering the position, and the next one on the interval (10 s by default) came after a
   * read's wait (5 s) half the time: 504 for a certificate the log could sign at once. The floor keeps
   * clients asking from signing more than one checkpoint a second.
   */
  async signCovering(position: bigint): Promise<bigint | undefined> {
    const [covered, tree, latest] = await Promise.all([
      this.checkpoints.signedPosition(),
      this.tree.state(),
      this.checkpoints.latest(),
    ]);
    if (covered !== undefined && covered >= position) return covered;
    if (tree.position < position) return covered; // not in the tree yet: its runner appends it first
    if (latest && Date.now() - Date.parse(latest.signedAt) < DEMAND_SIGNING_MS) return covered;
    await this.sign();
    return this.checkpoints.signedPosition();
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Catches up, then signs when the interval has passed since the latest checkpoint any process signed. */
  private async pass(): Promise<boolean> {
    await this.catchUp();
    const latest = await this.checkpoints.latest();
    if (!latest || Date.now() - Date.parse(latest.signedAt) >= this.options.checkpointIntervalMs) {
      const signed = await this.sign();
      if (signed) this.options.log?.(`signed checkpoint of size ${signed.treeSize}`);
    }
    return false;
  }
}
