import { reportOddSchemaOnce } from '#domain';
import { isConnectionFailure, isOutOfResources, type EventStore } from '#event-store';
import type pg from 'pg';
import { migrateReadModels } from './bookkeeping.schema.js';
import { ensureSlots, listSlots, type SlotRow } from './checkpoints.js';
import { BackgroundLoop } from './background-loop.js';
import { applyToSlot, readBatch, type Batch } from './batch-step.js';
import { rows, type Projection } from './projection.js';
import { projectionStatus, type ProjectionStatus } from './projection-status.js';
import { failSnapshotOfJob } from './snapshots.js';

export type RunnerOptions = Readonly<{
  /** Events read per batch (one transaction per slot). Bigger batches rebuild faster; each holds the feed horizon while it commits. */
  batchSize?: number;
  /** Batches a group runs before the runner turns to the next group (rebuilds and live slots take turns). */
  batchesPerTurn?: number;
  /**
   * How long a rebuild's or a snapshot's group runs before the runner turns back to the live slots
   * (it goes on in the next pass, at once, from the batch it had read ahead). On batches alone, a
   * snapshot took 200,000 events a turn: while one of 300,000 events was built, a command took 6 to
   * 16 s to show on the dashboards instead of 0.1 s.
   */
  jobTurnMs?: number;
  /** Pause between passes that found nothing new. */
  idleMs?: number;
  /**
   * Shortest time from one pass's start to the next's (BackgroundLoop). 40 ms: the worker apart from
   * the API, under 300 commands/s, ran 36 % fewer passes and 31 % fewer statements per command than
   * with none (bench notes in bench/RESULTS.md); an event's lag grows by 40 ms at most.
   */
  minIntervalMs?: number;
  /** Retired slots are dropped this long after the switch, so reads already under way can finish. */
  retireGraceMs?: number;
  /** How long after a job failed for want of disk or memory a version upgrade is started again. */
  upgradeRetryMs?: number;
  log?: (message: string) => void;
}>;

/**
 * The read models' bookkeeping migrated (#schema) and a slot for every projection (first start,
 * version change): what the worker does before its loop. The API does it with `upgrade: false`, so
 * that a new database answers empty live slots before a worker's first start, as it did when a
 * TypeORM migration made them.
 */
export async function prepareReadModels(
  pool: pg.Pool,
  projections: readonly Projection[],
  options: { upgrade?: boolean } = {},
): Promise<void> {
  await migrateReadModels(pool);
  const client = await pool.connect();
  try {
    await ensureSlots(client, projections, options);
  } finally {
    client.release();
  }
}

/**
 * Drives every slot: the live ones as one group, each rebuild job's slots as another group. It catches
 * up in batches, then follows the log: started, it passes again as soon as the store says something
 * was appended (`onAppended`: this process at once, others through LISTEN), and polls the head every
 * `idleMs` as well (the only way with a store that cannot say). Waiting for the poll alone put up to
 * 100 ms into every event's projection lag.
 */
export class ProjectionRunner {
  private readonly byName: Map<string, Projection>;
  private readonly batchSize: number;
  private readonly loop: BackgroundLoop;
  private stopListening: (() => void) | undefined;
  /** A job group's next batch, read while its turn ended (see `jobTurnMs`). */
  private readonly readAhead = new Map<string, { from: bigint; batch: Promise<Batch> }>();
  /** Passes that ran a job's turn: which job's turn comes next. */
  private jobTurns = 0;
  /** When to make again the slots of a version upgrade whose job ran out of disk or memory. */
  private upgradeAgainAt: number | undefined;
  private readonly onOddSchema = reportOddSchemaOnce((message) => this.options.log?.(message));

  constructor(
    private readonly pool: pg.Pool,
    private readonly store: EventStore,
    readonly projections: readonly Projection[],
    private readonly options: RunnerOptions = {},
  ) {
    this.byName = new Map(projections.map((p) => [p.name, p]));
    this.batchSize = options.batchSize ?? 10_000;
    this.loop = new BackgroundLoop('projection runner', async () => (await this.runOnce()) > 0, {
      idleMs: options.idleMs ?? 100,
      minIntervalMs: options.minIntervalMs ?? 40,
      log: options.log,
    });
  }

  /** The last pass's failure, until a pass succeeds. */
  get lastError(): string | undefined {
    return this.loop.lastError;
  }

  /** Migrates the bookkeeping and creates missing slots (first start, version change) without starting the loop. */
  prepare(): Promise<void> {
    return prepareReadModels(this.pool, this.projections);
  }

  start(): void {
    this.stopListening ??= this.store.onAppended?.(() => this.loop.wake());
    this.loop.start();
  }

  stop(): Promise<void> {
    this.stopListening?.();
    this.stopListening = undefined;
    return this.loop.stop();
  }

  /**
   * The live slots' turn, then one job's (a rebuild's or a snapshot's, each in turn); returns the
   * number of events read. A turn for every job in every pass kept the live slots waiting for all
   * of them: with k snapshots building, a command took k × `jobTurnMs` to show on the dashboards.
   */
  async runOnce(): Promise<number> {
    if (this.upgradeAgainAt !== undefined && Date.now() >= this.upgradeAgainAt) {
      // A version upgrade is made only at start (prepare): failed, it was not made again until the
      // process restarted, and the reads of the new version answered 503 read_model_upgrading
      // ("being built") meanwhile. Nothing to make when the failed job was not an upgrade.
      await this.prepare();
      this.upgradeAgainAt = undefined;
    }
    const slots = (await listSlots(this.pool)).filter((slot) => this.byName.has(slot.projection));
    const head = await this.store.headPosition();
    // the live slots as one group, each job's slots as another
    const groups = new Map<string, SlotRow[]>();
    for (const slot of slots) {
      if (BigInt(slot.position) >= head && slot.state === 'live' && slot.indexed) continue;
      const key = slot.state === 'live' ? 'live' : `job:${slot.job_id ?? slot.schema_name}`;
      groups.set(key, [...(groups.get(key) ?? []), slot]);
    }
    for (const key of this.readAhead.keys()) if (!groups.has(key)) this.readAhead.delete(key);
    const jobs = [...groups.keys()].filter((key) => key !== 'live');
    const turn = jobs.length ? [jobs[this.jobTurns++ % jobs.length]!] : [];
    let events = 0;
    // A live slot that fails on an event (one an older gate let in) still leaves the jobs their
    // turn: the rebuild of a newer version that reads the event differently is what heals it, and
    // thrown at once, the failure kept that rebuild at position 0 for ever. A lost database is
    // thrown at once, live slots' or a job's: each batch commits with its checkpoint, so the loop's
    // next pass resumes where it stood. Failing the job on it turned a blip of 0.1 s into a rebuild
    // to start again by hand, a failed snapshot, or an upgrade stuck on its old tables. A job that
    // ran out of disk or memory fails, though: its slots are then dropped, which frees what it took.
    let liveFailure: unknown;
    for (const key of ['live', ...turn]) {
      const group = groups.get(key);
      if (!group) continue;
      try {
        events += await this.runGroup(key, group);
      } catch (error) {
        if (isConnectionFailure(error) && (key === 'live' || !isOutOfResources(error))) throw error;
        if (key !== 'live') {
          await this.failJob(group, error as Error);
          // room may come back (a file deleted, a snapshot dropped); a job failing on a bug fails again
          if (isOutOfResources(error))
            this.upgradeAgainAt = Date.now() + (this.options.upgradeRetryMs ?? 60_000);
        } else liveFailure = error;
      }
    }
    await this.dropRetired();
    if (liveFailure !== undefined) throw liveFailure;
    return events;
  }

  /**
   * Up to `batchesPerTurn` batches for slots that move together (a job's, for `jobTurnMs` at most):
   * each batch is read once, the next one is read while this one is applied, and each slot applies it
   * in its own transaction, in parallel.
   */
  private async runGroup(key: string, group: SlotRow[]): Promise<number> {
    const maxBatches = this.options.batchesPerTurn ?? 20;
    const turnMs = key === 'live' ? Infinity : (this.options.jobTurnMs ?? 500);
    const started = performance.now();
    const from = group.reduce(
      (min, slot) => (BigInt(slot.position) < min ? BigInt(slot.position) : min),
      BigInt(group[0]!.position),
    );
    const read = (position: bigint) =>
      readBatch(this.store, position, this.batchSize, this.onOddSchema);
    const ahead = this.readAhead.get(key);
    this.readAhead.delete(key);
    let pending: Promise<Batch> | undefined = ahead?.from === from ? ahead.batch : read(from);
    let events = 0;
    for (let i = 0; pending && i < maxBatches; i++) {
      const batch: Batch = await pending;
      pending = batch.caughtUp || i + 1 >= maxBatches ? undefined : read(batch.last);
      pending?.catch(() => undefined); // awaited on the next turn; a failure there is handled then
      const steps = await Promise.all(
        group.map((slot) =>
          applyToSlot(this.pool, this.byName.get(slot.projection)!, slot.schema_name, batch),
        ),
      );
      for (const step of steps) {
        if (step?.switched)
          this.options.log?.(`projection slot ${step.slot.schema_name} caught up and is now live`);
        if (step?.frozen)
          this.options.log?.(
            `snapshot ${step.slot.snapshot_id} slot ${step.slot.schema_name} built up to its bound`,
          );
      }
      events += batch.events.length;
      if (steps.every((step) => step === null)) break; // another process holds these slots
      if (pending && performance.now() - started >= turnMs) {
        // the live slots' turn; the next pass goes on from the batch read ahead
        this.readAhead.set(key, { from: batch.last, batch: pending });
        break;
      }
    }
    return events;
  }

  /** Runs batches until every slot has reached the head (rebuilds included). */
  async catchUp(): Promise<void> {
    for (;;) {
      const events = await this.runOnce();
      if (events > 0) continue;
      const slots = await listSlots(this.pool);
      const head = await this.store.headPosition();
      if (
        slots.every(
          (s) =>
            !this.byName.has(s.projection) || (s.state === 'live' && BigInt(s.position) >= head),
        )
      )
        return;
      await new Promise((resolve) => setTimeout(resolve, 20)); // another process holds a batch
    }
  }

  async status(): Promise<ProjectionStatus[]> {
    return projectionStatus(this.pool, this.store);
  }

  private async failJob(group: SlotRow[], error: Error): Promise<void> {
    const jobId = group[0]?.job_id;
    this.options.log?.(`rebuild ${jobId ?? ''} failed: ${error.message}`);
    // A snapshot's slots that froze before the failure go too: a failed snapshot does not count
    // against SNAPSHOT_LIMIT, so a frozen copy it left was room nothing counted, listed or dropped.
    // (A slot freezing meanwhile is waited for by its row lock, then matched as 'snapshot'.)
    await this.pool.query(
      `UPDATE projection_checkpoints SET state = 'retired', updated_at = now()
        WHERE (schema_name = ANY($1) AND state = 'building')
           OR ($2::text IS NOT NULL AND job_id = $2 AND snapshot_id IS NOT NULL AND state = 'snapshot')`,
      [group.map((s) => s.schema_name), jobId ?? null],
    );
    if (jobId) {
      await this.pool.query(
        `UPDATE projection_jobs SET state = 'failed', error = $2, finished_at = now() WHERE id = $1`,
        [jobId, error.message],
      );
      await failSnapshotOfJob(this.pool, jobId, error.message);
    }
  }

  private async dropRetired(): Promise<void> {
    const grace = Math.round((this.options.retireGraceMs ?? 30_000) / 1000);
    const retired = await rows<{ schema_name: string }>(
      this.pool,
      `SELECT schema_name FROM projection_checkpoints WHERE state = 'retired' AND updated_at < now() - make_interval(secs => $1)`,
      [grace],
    );
    for (const { schema_name } of retired) {
      await this.pool.query(`DROP SCHEMA IF EXISTS ${schema_name} CASCADE`);
      await this.pool.query(
        `DELETE FROM projection_checkpoints WHERE schema_name = $1 AND state = 'retired'`,
        [schema_name],
      );
    }
  }
}
