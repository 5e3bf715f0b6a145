import { CompressionTypes, Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { reportOddSchemaOnce } from '#domain';
import type { FeedPosition, RecordedEvent, Subscription } from '#event-store';
import { toOutgoingMessage, withDataWithheld } from './integration-message.js';
import { RelayCheckpointStore } from './relay-checkpoint.store.js';
import { RelayLease } from './relay-lease.js';
import { RelayMetrics } from './relay-metrics.js';
import type { ProduceRequestPlanner } from './produce-requests.js';
import { prepareTopics } from './relay-topics.js';
import {
  committedPosition,
  relayTransactions,
  type RelayTransactions,
} from './relay-transactions.js';
import {
  backoffDelay,
  resolveRelayOptions,
  type KafkaRelayOptions,
  type ResolvedRelayOptions,
} from './relay-options.js';
import { describeFailure, lagCap, relayStatus, type RelayStatus } from './relay-status.js';
import { SubscriptionBatcher } from './subscription-batcher.js';

/**
 * Publishes every event of the store to Kafka, in feed order, from its own checkpoint.
 *
 * One session = connect, create topics, subscribe from the checkpoint, then publish batch after batch;
 * each batch is one Kafka transaction (acks from all in-sync replicas, one request in flight so
 * batches cannot overtake each other) that also commits the batch's last position, and the checkpoint
 * is saved once it committed. Any failure ends the session; the next one starts over from the
 * checkpoint (or the position the broker committed after it) after an exponential, capped backoff, for
 * ever. It never skips an event, and a consumer reading committed messages sees each one once; an
 * attempt that failed is aborted, visible only to consumers reading uncommitted ones
 * (`relay-transactions.ts`).
 * Of relays with the same name on one database, only the holder of its lease publishes (`RelayLease`).
 */
export class KafkaRelay {
  private readonly options: ResolvedRelayOptions;
  private readonly checkpoints: RelayCheckpointStore;
  private readonly lease: RelayLease;
  /** Another relay of this name holds the lease (`RelayLease`): this one waits to take over. */
  private standingBy = false;
  private readonly metrics: RelayMetrics;
  private readonly kafka: Kafka;
  private readonly transactions: RelayTransactions;
  private readonly onOddSchema = reportOddSchemaOnce((message) =>
    this.options.logger.warn(message),
  );
  /** Type and reason of withheld data already logged: one line per kind, not one per event. */
  private readonly withheldReported = new Set<string>();
  private loop: Promise<void> | undefined;
  private stopping = false;
  private subscription: Subscription | undefined;
  private producer: Producer | undefined;
  private wakeUp: (() => void) | undefined;
  private failures = 0;
  private state = {
    connected: false,
    checkpoint: null as bigint | null,
    head: null as bigint | null,
    lag: null as number | null,
    published: 0,
  };
  private lastError: { message: string; at: Date } | null = null;
  private lagCheckedAt = 0;
  private sendingSince: number | null = null;
  private reporter: NodeJS.Timeout | undefined;
  private reporting: Promise<void> | undefined;

  constructor(options: KafkaRelayOptions) {
    this.options = resolveRelayOptions(options);
    this.checkpoints = new RelayCheckpointStore(this.options.pool, this.options.name);
    this.lease = new RelayLease(this.options.pool, this.options.name);
    this.metrics = new RelayMetrics(this.options.name);
    this.transactions = relayTransactions(this.options);
    // Few client-level retries: the relay's own loop does the patient, logged retrying.
    this.kafka = new Kafka({
      clientId: this.options.clientId,
      brokers: this.options.brokers,
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3_000,
      retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2_000 },
    });
  }

  /** Starts publishing in the background; returns at once (a broker that is down is retried, not fatal). */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    // Cleared when it ends, not by stop(): a loop stop() gave up waiting for may still be finishing.
    const loop = this.run().finally(() => {
      if (this.loop === loop) this.loop = undefined;
    });
    this.loop = loop;
    this.reporter = setInterval(() => this.report(), this.options.reportEveryMs);
    this.reporter.unref();
  }

  /**
   * Stops after the batch in flight, or without waiting for it any longer than `stopGraceMs`: a broker
   * that accepts connections but no longer answers (a frozen or partitioned one) would otherwise hold
   * the process's shutdown until kafkajs gives up, minutes later, and the process is killed at its
   * deadline. Either way the checkpoint stays at the last committed batch: a batch left behind is an
   * open transaction that the next run's producer aborts, and that run publishes the batch again.
   */
  async stop(): Promise<void> {
    const loop = this.loop;
    this.stopping = true;
    clearInterval(this.reporter);
    this.wakeUp?.();
    await this.subscription?.close().catch(() => undefined);
    if (loop === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      loop.then(() => true),
      new Promise<boolean>((done) => (timer = setTimeout(done, this.options.stopGraceMs, false))),
    ]);
    clearTimeout(timer);
    if (!finished)
      this.options.logger.warn(
        `stopped without the broker's acknowledgement of the batch in flight (none within ${this.options.stopGraceMs} ms); the next run publishes it again from checkpoint ${this.state.checkpoint ?? 'start'}`,
      );
  }

  async status(): Promise<RelayStatus> {
    await this.refreshLag(500).catch(() => undefined);
    return this.currentStatus();
  }

  private currentStatus(): RelayStatus {
    return relayStatus({
      ...this.state,
      running: this.loop !== undefined,
      standingBy: this.standingBy,
      lastError: this.lastError,
      sendingSince: this.sendingSince,
      stallAfterMs: this.options.stallAfterMs,
    });
  }

  /**
   * Stores the status for the processes that do not run the relay (`relay_reports`), every
   * `reportEveryMs` and at each failure and recovery: the holder of the lease only, since the others
   * publish nothing. Not awaited by anyone; with the database away it fails, and the report's age
   * then says that the relay has not been heard from.
   */
  private report(): void {
    if (!this.lease.held || this.reporting) return;
    this.reporting = this.checkpoints
      .report(this.currentStatus())
      .catch(() => undefined)
      .finally(() => (this.reporting = undefined));
  }

  /** The checkpoint as stored (null before the first acknowledged batch). */
  async checkpoint(): Promise<bigint | null> {
    const position = await this.checkpoints.load();
    return position === 'start' ? null : position;
  }

  private async run(): Promise<void> {
    await this.retrying('prepare the checkpoint table', () => this.checkpoints.init());
    // Known before the first session, so that a broker away from the start still has a backlog to report.
    await this.retrying('read the checkpoint', async () => {
      await this.loadCheckpoint();
    });
    while (!this.stopping) {
      if (!(await this.holdLease())) continue;
      try {
        await this.session();
      } catch (error) {
        if (this.stopping) break;
        // Not connected while waiting to retry: status() must not say `publishing` during the backoff.
        this.state.connected = false;
        await this.failed(error);
      } finally {
        await this.teardown();
      }
    }
    // Said before the lease goes, so that the others show a worker stopped on purpose as `stopped`
    // at once, rather than `unknown` once its last report has grown 15 s old.
    if (this.lease.held) {
      await this.reporting;
      await this.checkpoints
        .report({ ...this.currentStatus(), state: 'stopped' })
        .catch(() => undefined);
    }
    this.lease.release();
  }

  /**
   * True once this relay holds the lease; else it stands by for `standbyMs` (or until stopped) and
   * says false, for the caller to ask again. Only the holder publishes, each session from the stored
   * checkpoint, so a relay that takes over goes on where the last acknowledged batch ended.
   */
  private async holdLease(): Promise<boolean> {
    let held: boolean;
    try {
      held = await this.lease.acquire();
    } catch (error) {
      if (!this.stopping) await this.failed(error); // the database is away: retried like a session
      return false;
    }
    if (held) {
      if (this.standingBy)
        this.options.logger.log(
          `took over publishing as '${this.options.name}' from checkpoint ${this.state.checkpoint ?? 'start'}`,
        );
      this.standingBy = false;
      return true;
    }
    if (!this.standingBy)
      this.options.logger.log(
        `another relay publishes as '${this.options.name}' (it holds the lease in the database); standing by to take over`,
      );
    this.standingBy = true;
    this.recovered(); // the database answered, if it was away
    // The backlog this relay would show is the holder's: counted at the same stored checkpoint.
    await this.loadCheckpoint().catch(() => undefined);
    await this.pause(this.options.standbyMs);
    return false;
  }

  private async session(): Promise<void> {
    const planner = await prepareTopics(this.kafka, this.options);
    // Connecting fences an earlier producer of this transactional id (a relay that died, or one left
    // behind by a stop that did not wait) and aborts the transaction it left open.
    this.producer = this.kafka.producer({
      transactionalId: this.transactions.transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await this.producer.connect();
    const from = await this.resumePosition();
    this.state.connected = true;
    // Connected is not recovered: a batch the broker or the database refuses fails after this point,
    // session after session. Nothing left to publish is, or else the first acknowledged batch.
    await this.refreshLag(0);
    if (this.state.lag === 0) this.recovered();
    this.report(); // at once, not after reportEveryMs: the others would take the silence for no relay
    if (this.stopping) return;
    this.subscription = this.options.eventStore.subscribeToAll({
      fromPosition: from,
      filter: this.options.filter,
      batchSize: this.options.batchSize,
    });
    const batches = new SubscriptionBatcher(
      this.subscription,
      this.options.batchSize,
      this.options.lingerMs,
    );
    // Reading the next batch overlaps with waiting for the broker's acknowledgement of this one.
    let batch = await batches.next();
    while (batch !== null && !this.stopping) {
      const acknowledged = this.publish(batch, planner);
      const upcoming = batches.next();
      upcoming.catch(() => undefined);
      await acknowledged;
      batch = await upcoming;
    }
  }

  private async publish(
    batch: readonly RecordedEvent[],
    planner: ProduceRequestPlanner,
  ): Promise<void> {
    const messages = batch.map((event) => {
      let message = toOutgoingMessage(event, this.options.topicPrefix, this.onOddSchema);
      if (!planner.fits(message)) message = withDataWithheld(message, 'too_large');
      if (message.withheld) this.reportWithheld(event, message.withheld);
      return message;
    });
    const last = batch[batch.length - 1].globalPosition;
    // The lease went with its connection (a database restart): another relay may be publishing from
    // the stored checkpoint by now. This session ends, and the next one starts with taking it again.
    if (!this.lease.held) throw new Error('lost the relay lease with its database connection');
    this.options.onBatchSending?.(batch.length, last);
    const compression =
      this.options.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
    // A broker that keeps its connections but answers nothing fails no request for minutes (kafkajs's
    // timeouts and retries): meanwhile the backlog is still counted, and status() says it is waiting.
    this.sendingSince = Date.now();
    const counting = setInterval(() => void this.refreshLag(5_000).catch(() => undefined), 5_000);
    try {
      const transaction = await this.producer!.transaction();
      try {
        for (const topicMessages of planner.plan(messages)) {
          await transaction.sendBatch({ acks: -1, compression, topicMessages });
        }
        const { markerGroup, markerTopic } = this.transactions;
        await transaction.sendOffsets({
          consumerGroupId: markerGroup,
          topics: [{ topic: markerTopic, partitions: [{ partition: 0, offset: last.toString() }] }],
        });
        await transaction.commit();
      } catch (error) {
        // Aborted, its messages never reach a read_committed consumer. A broker that cannot be told
        // leaves it open until the next session's producer connects, which aborts it.
        await transaction.abort().catch(() => undefined);
        throw error;
      }
      const perTopic = new Map<string, number>();
      for (const { topic } of messages) perTopic.set(topic, (perTopic.get(topic) ?? 0) + 1);
      await this.checkpoints.save(last);
      this.state.checkpoint = last;
      this.metrics.recordCheckpoint(last);
      this.state.published += batch.length;
      this.metrics.recordPublished(perTopic);
      // Caught up (a partial batch): the lag is cheap to count now; while catching up, now and then.
      await this.refreshLag(batch.length < this.options.batchSize ? 0 : 15_000);
    } finally {
      // Only now: a status read between the commit and the stored checkpoint, or before the count
      // above, said `publishing` again with the backlog counted before this batch.
      clearInterval(counting);
      this.sendingSince = null;
    }
    this.recovered();
  }

  /**
   * Positions are not dense (the PostgreSQL adapter derives them from transaction ids), so the lag is
   * counted in events, by reading what follows the checkpoint, up to `lagCap`: exact while small,
   * "at least lagCap" beyond, which is what an alert needs. Not more often than `everyMs`.
   */
  private async refreshLag(everyMs: number): Promise<void> {
    if (Date.now() - this.lagCheckedAt < everyMs) return;
    this.lagCheckedAt = Date.now();
    const from = this.state.checkpoint;
    const pending = await this.options.eventStore.countAll({
      fromPosition: from ?? 'start',
      filter: this.options.filter,
      maxCount: lagCap,
    });
    // A batch stored while this counted (a status read racing the publishing): the count is of the
    // checkpoint before it, and the publishing counts again itself.
    if (this.state.checkpoint !== from) return;
    this.state.lag = pending;
    this.state.head = await this.options.eventStore.headPosition();
    this.metrics.recordLag(pending);
  }

  /**
   * Where a session starts: the stored checkpoint, unless the broker holds a committed batch after it
   * whose checkpoint was never stored (the relay stopped, or the database refused the write, between
   * the commit and the write), which would otherwise be published a second time. Only a position
   * within the one batch after the checkpoint is taken: one further on means the checkpoint was moved
   * back on purpose, and no checkpoint row at all is a replay from the start
   * (docs/integration-events.md, "Operations"). A relay that starts from the beginning with nothing
   * committed by its marker stores a row first (`begin`), so that its first batch is recognised too.
   */
  private async resumePosition(): Promise<FeedPosition> {
    const stored = await this.loadCheckpoint();
    const committed = await committedPosition(this.kafka, this.transactions);
    if (stored === 'start' && !(await this.checkpoints.begun())) {
      if (committed === null) await this.checkpoints.begin();
      return stored;
    }
    if (committed === null || (stored !== 'start' && committed <= stored)) return stored;
    const following = await this.options.eventStore.readAll({
      fromPosition: stored,
      filter: this.options.filter,
      maxCount: this.options.batchSize,
    });
    if (!following.some((event) => event.globalPosition === committed)) return stored;
    await this.checkpoints.save(committed);
    this.options.logger.log(
      `the broker holds the batch up to ${committed}, committed after checkpoint ${stored} was stored; going on from ${committed}`,
    );
    return this.loadCheckpoint();
  }

  private async loadCheckpoint(): Promise<FeedPosition> {
    const position = await this.checkpoints.load();
    this.state.checkpoint = position === 'start' ? null : position;
    if (position !== 'start') this.metrics.recordCheckpoint(position);
    return position;
  }

  private recovered(): void {
    if (this.lastError)
      this.options.logger.log(
        `recovered after ${this.failures} failure(s); published up to checkpoint ${this.state.checkpoint ?? 'start'}`,
      );
    const failing = this.lastError !== null;
    this.lastError = null;
    this.failures = 0;
    if (failing) this.report();
  }

  private reportWithheld(event: RecordedEvent, reason: string): void {
    const kind = `${event.type}:${reason}`;
    if (this.withheldReported.has(kind)) return;
    this.withheldReported.add(kind);
    this.options.logger.warn(
      `event ${event.eventId} (${event.type}, position ${event.globalPosition}) published without its data (${reason}); later ones of this type and reason are not logged`,
    );
  }

  private async teardown(): Promise<void> {
    this.state.connected = false;
    const { subscription, producer } = this;
    this.subscription = undefined;
    this.producer = undefined;
    await subscription?.close().catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
  }

  private async failed(error: unknown): Promise<void> {
    this.failures += 1;
    const message = describeFailure(error);
    this.lastError = { message, at: new Date() };
    this.metrics.recordFailure();
    this.report();
    // Only publishing counts the backlog otherwise, and relay_lag_events matters most while it cannot:
    // an alert on it must see the backlog grow during an outage, whether or not anyone reads /health.
    // Not awaited: with the database away it waits for a connection, and the retry must not.
    void this.refreshLag(5_000).catch(() => undefined);
    const delay = backoffDelay(
      this.failures,
      this.options.initialBackoffMs,
      this.options.maxBackoffMs,
    );
    // Failures #1, 2, 4, 8…: a long outage says it goes on without a line per retry.
    if ((this.failures & (this.failures - 1)) === 0)
      this.options.logger.warn(
        `failure #${this.failures} (${message}); retrying from the checkpoint in ${delay} ms`,
      );
    await this.pause(delay);
  }

  /** Waits `ms`, or until stop() wakes it up. */
  private async pause(ms: number): Promise<void> {
    await new Promise<void>((done) => {
      const timer = setTimeout(done, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        done();
      };
    });
    this.wakeUp = undefined;
  }

  private async retrying(what: string, action: () => Promise<void>): Promise<void> {
    while (!this.stopping) {
      try {
        return await action();
      } catch (error) {
        if (this.failures === 0) this.options.logger.warn(`could not ${what}`);
        await this.failed(error);
      }
    }
  }
}
