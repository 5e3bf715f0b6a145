import {
  isConnectionFailure,
  parseSignerKey,
  type EventStore,
  type NoteSigner,
  type RecordedEvent,
} from '#event-store';
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

  /**
   * Appends every event up to the feed's head; returns the number appended. The next page is read
   * while this one is appended (its start is this page's end, which the tree reaches by then, or
   * passes if another process appended meanwhile: the append skips what the tree already holds).
   */
  async catchUp(): Promise<number> {
    const batchSize = this.options.batchSize ?? 5_000;
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
        if (failures > 0) this.options.log?.(`audit log resumed after ${failures} failed passes`);
        failures = 0;
        this.lastError = undefined;
      } catch (error) {
        failures += 1;
        const message = (error as Error).message;
        // One line when it stops, not one per retry (as the projection runner): while the database is
        // away every pass fails, and the outage itself is logged by the platform.
        if (failures === 1 || (message !== this.lastError && !isConnectionFailure(error)))
          this.options.log?.(`audit log: ${message}; retrying`);
        this.lastError = message;
      }
      // Backoff capped at 2 s: it resumes within seconds of the database's return.
      await this.sleep(
        failures ? Math.min(2_000, 100 * 2 ** failures) : (this.options.idleMs ?? 200),
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
