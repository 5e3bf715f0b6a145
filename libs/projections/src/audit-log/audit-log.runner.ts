import { parseSignerKey, type EventStore, type NoteSigner } from '#event-store';
import type pg from 'pg';
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

/**
 * Follows the feed like a projection: reads from the tree's own position, appends leaves and moves
 * the position in one transaction, and signs a checkpoint when the tree has grown, at most every
 * `checkpointIntervalMs`. Safe to run in several processes at once (the state row serialises them).
 */
export class AuditLogRunner {
  readonly tree: MerkleTreeStore;
  readonly checkpoints: CheckpointsStore;
  private readonly signer: NoteSigner;
  private running: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;
  lastError: string | undefined;

  constructor(
    pool: pg.Pool,
    private readonly store: EventStore,
    private readonly options: AuditLogOptions,
  ) {
    this.tree = new MerkleTreeStore(pool);
    this.checkpoints = new CheckpointsStore(pool, this.tree);
    this.signer = parseSignerKey(options.signingKey);
  }

  /** The verifier key of the signer, as `note.NewVerifier` takes it. */
  get verifierKey(): string {
    return this.signer.verifierKey;
  }

  get origin(): string {
    return this.options.origin;
  }

  /** Appends every event up to the feed's head; returns the number appended. */
  async catchUp(): Promise<number> {
    const batchSize = this.options.batchSize ?? 5_000;
    let appended = 0;
    for (;;) {
      const { position } = await this.tree.state();
      const events = await this.store.readAll({
        fromPosition: position === 0n ? 'start' : position,
        maxCount: batchSize,
      });
      if (events.length) {
        const before = (await this.tree.state()).treeSize;
        const after = await this.tree.append(events);
        appended += after.treeSize - before;
      }
      if (events.length < batchSize) return appended;
    }
  }

  /** Signs the current head if the tree grew (ignores the interval: the loop enforces it). */
  sign() {
    return this.checkpoints.signIfGrown(this.signer, this.options.origin);
  }

  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    this.running = undefined;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        await this.catchUp();
        // The interval is measured from the latest checkpoint any process signed.
        const latest = await this.checkpoints.latest();
        if (
          !latest ||
          Date.now() - Date.parse(latest.signedAt) >= this.options.checkpointIntervalMs
        ) {
          const signed = await this.sign();
          if (signed) this.options.log?.(`signed checkpoint of size ${signed.treeSize}`);
        }
        failures = 0;
        this.lastError = undefined;
      } catch (error) {
        failures += 1;
        this.lastError = (error as Error).message;
        this.options.log?.(`audit log: ${this.lastError}`);
      }
      await this.sleep(
        failures ? Math.min(5_000, 100 * 2 ** failures) : (this.options.idleMs ?? 200),
      );
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
