import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import { Conflict, DomainError, Forbidden, NotFound, type CommandContext } from '#domain';
import {
  AppendConflict,
  DuplicateEventId,
  WrongExpectedVersion,
  type AlongsideRow,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '#event-store';
import { EVENT_STORE, type Actor } from '#platform';
import { isDirectoryEvent } from '../directory/directory.projector.js';
import { DirectoryService } from '../directory/directory.service.js';
import { CLOCK, type Clock } from './clock.js';
import { COMMAND_DB, type CommandDatabase } from './command-database.js';
import { commandKey, type FormerIdentity } from './command-id.js';
import { resultOf, toNewEvent, withVersions } from './command-events.js';
import { CommandLog } from './command-log.js';
import type { CommandResult } from './command-result.js';
import {
  answerFormer,
  answerRecorded,
  answerUnchanged,
  type RecordedAnswer,
} from './recorded-answer.js';
import { KeyedMutex } from './keyed-mutex.js';
import { StreamRaces } from './stream-races.js';
import { StreamStates, type Fold, type StreamHeads } from './stream-states.js';
import { WriteTransaction } from './write-transaction.js';

type PlainEvent = Readonly<{ type: string; data: object }>;
type Queryable = Pick<pg.ClientBase, 'query'>;

/** What identifies one command for the idempotency log of API.md, and the stream it writes to. */
export type CommandEnvelope = Readonly<{
  /** `POST /shifts`: namespaces the command id in the log. */
  route: string;
  /** The client's command id (the aggregate id for a creation). */
  commandId: string;
  /**
   * How earlier versions recorded this command, where that differs from today (an id derived another
   * way, a body hashed without a field, a citizen's stream named before references were composed): a
   * command recorded so answers a resend with its first result. One recorded on another stream is
   * looked for once authorized, before the decision: today's stream would take the command afresh.
   */
  formerIds?: readonly FormerIdentity[];
  /** Everything that makes the request what it is (path id and body), for "same id, other body". */
  request: unknown;
  /** The data subject whose personal data `request` carries: erasing them forgets the body. */
  subject?: string;
  actor: Actor;
  /** The id answered to the client (the aggregate id, or the assistance id). */
  id: string;
  streamId: string;
  /** An action on an aggregate that must exist: an empty stream answers this 404 (made when needed). */
  notFound?: () => NotFound;
}>;

/** Where a decision reads beyond its own stream's state. */
export type Reading = Readonly<{
  /** The command's transaction (holding the member's guard, if any), else the command side's pool. */
  db: Queryable;
  /**
   * The head versions of the `reads` streams, read under their locks (PostgreSQL; none with
   * EventStoreDB): AggregateLookups reads no stream whose cached state is at its head.
   */
  heads: StreamHeads;
  /**
   * For a decision that does something no rollback undoes before the append (an erasure destroys a
   * key): 409 when this command's id is already recorded with another body, which would refuse the
   * append only after that was done.
   */
  requireIdFree: () => Promise<void>;
}>;

/**
 * The use case's own steps. They run in this order: `readByOthers` (before the load: whether the
 * stream is read under its lock), the fold (`evolve` from `initialState`), `authorize`, `guard` and
 * `reads` (the locks), `decide`; `recordedBy` only when the decision appends nothing.
 */
export type Steps<State, Event extends PlainEvent> = Fold<State, Event> &
  Readonly<{
    /** Throws 403 (or 404) when the actor may not do this to this state. Runs before anything is told. */
    authorize?: (state: State) => Promise<void> | void;
    /**
     * The member whose shifts this command moves in time: their guard (a transaction advisory lock) is
     * held from before `decide` until the commit, so two shifts of theirs are never decided at once.
     * Before `decide`, the directory holds every directory event in the feed as of the guard's
     * granting: asked in the message that takes it, caught up only when it lacks one (DirectoryService).
     */
    guard?: (state: State) => string;
    /**
     * Other streams whose state `decide` reads and whose next event could turn the decision (the
     * member's erasure, the campaign's closing). Their locks are held shared from before `decide` until
     * the commit, so such an event is recorded before `decide` reads it or after this command's events
     * in feed order, never in between. `decide` reads them itself (through AggregateLookups, with
     * `Reading.heads`: their heads come with the locks, in the message that begins the transaction,
     * and a stream this process holds folded at its head is not read again).
     */
    reads?: (state: State) => readonly string[];
    /**
     * Other commands decide on this stream's state (they name it in `reads`): read, decide and append
     * under its lock, taken in the command database before the read. The PostgreSQL append takes it in
     * its statement anyway; an EventStoreDB append takes no lock, and without this it would not wait
     * for those readers.
     */
    readByOthers?: true;
    /**
     * For a fact recorded once (a member's skill): the stored event that recorded it. A decision that
     * appends nothing then answers that event's result (answerUnchanged), not 409 nothing_to_record.
     */
    recordedBy?: (event: RecordedEvent) => boolean;
    /** The events to append (personal data already sealed). */
    decide: (
      state: State,
      context: CommandContext,
      reading: Reading,
    ) => Promise<readonly Event[]> | readonly Event[];
  }>;

/** The PostgreSQL adapter writes a row alongside the events, in a caller's transaction or its own. */
type TransactionalStore = EventStore & {
  appendWith(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
    alongside: AlongsideRow,
  ): Promise<AppendResult>;
  appendInTransaction(
    client: pg.ClientBase,
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
    alongside: AlongsideRow,
  ): Promise<AppendResult>;
  notifyAppended(): void;
};

/**
 * Attempts before 409. A process that lost a race takes the stream's lock before it reads; an append of
 * a process that has not lost yet waits for that lock in its statement and then loses once itself, so
 * a locked attempt is never overtaken. Unlocked writers can still overtake one another a few times.
 */
const maxAttempts = 20;
/** Jittered pause before another attempt, so that writers in several processes stop colliding. */
const backoff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, attempt * (5 + Math.random() * 20)));

/** A decision the domain refused (never a 403: who may not act learns nothing of the log). */
const isRefusal = (error: unknown) => error instanceof DomainError && !(error instanceof Forbidden);

const noHeads: StreamHeads = new Map();

const nothingToRecord = () => new Conflict('nothing_to_record', 'the command changes nothing');
const unchanged = (refusal: unknown) =>
  refusal instanceof Conflict && refusal.code === 'nothing_to_record';

/**
 * Emmett's `handleCommand(eventStore, streamId, (state) => decide(command, state))` with the
 * idempotency log of API.md. Load (this process's folded state, see StreamStates), authorize, decide,
 * then one write: the events with their log row in one statement (in one transaction with the
 * directory rows they change, when they change any, or under a member's guard or the shared locks of
 * the streams the decision reads, see `Steps.reads`; BEGIN, those locks and the heads of the streams
 * read are one message, so an assistance on a campaign shift costs three: it, the append, COMMIT; a
 * shift start six: its new stream's read, that message with the directory's catch-up question, the
 * member's shifts, the append, its directory row, COMMIT).
 * The log is read only on the slow path, after authorization: a refused decision or events already
 * stored (a resend) answer the command's first result, or 409 for its id under another body. A
 * version conflict (another process appended first) decides again on the fresh stream, under the
 * stream's lock (StreamRaces); a few times, then 409.
 */
@Injectable()
export class CommandHandling {
  private readonly streams = new KeyedMutex();
  private readonly races = new StreamRaces();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(COMMAND_DB) private readonly db: CommandDatabase,
    private readonly log: CommandLog,
    private readonly states: StreamStates,
    private readonly directory: DirectoryService,
  ) {}

  handle<State, Event extends PlainEvent>(
    command: CommandEnvelope,
    steps: Steps<State, Event>,
  ): Promise<CommandResult> {
    const { streamId } = command;
    return this.streams.run(streamId, async () => {
      const key = commandKey(command.route, command.commandId);
      const hash = this.log.hash(command.request);
      const formers = (command.formerIds ?? []).map((former) => ({
        key: commandKey(command.route, former.commandId),
        hash: former.request === undefined ? hash : this.log.hash(former.request),
        streamId: former.streamId ?? streamId,
      }));
      const elsewhere = formers.filter((former) => former.streamId !== streamId);
      const recorded: RecordedAnswer = {
        key,
        hash,
        formers,
        command,
        log: this.log,
        store: this.store,
      };
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        // A stream other processes keep writing, or other commands decide on, is read, decided and
        // appended under its lock (its head comes with it: a cached state at the head is not read).
        const raced = steps.readByOthers === true || this.races.has(streamId);
        let tx = raced
          ? await WriteTransaction.begin(this.db.writePool, {
              stream: streamId,
              heads: this.headsOf([streamId]),
            })
          : undefined;
        try {
          // load, fold
          const loaded = tx
            ? await this.states.current(streamId, steps, tx.heads)
            : await this.states.load(streamId, steps);
          if (loaded.version < 0n && command.notFound) throw command.notFound();
          // authorize
          await steps.authorize?.(loaded.state);
          // recorded by an earlier version on another stream: this one would take it afresh
          const formerly = elsewhere.length > 0 && (await answerFormer(elsewhere, this.log));
          if (formerly) return formerly;
          // lock what the decision reads (one message with BEGIN, unless the stream's lock came first)
          const guard = steps.guard?.(loaded.state);
          const reads = steps.reads?.(loaded.state) ?? [];
          if (guard !== undefined || reads.length > 0) {
            // under a guard, whether the directory lacks what other writers appended is asked too
            const ask =
              guard !== undefined && this.transactional ? this.directory.question : undefined;
            const locks = { guard, reads, heads: this.headsOf(reads), ask };
            if (tx) await tx.lock(locks);
            else
              tx = await WriteTransaction.begin(this.db.writePool, { stream: streamId, ...locks });
            if (guard !== undefined)
              await (ask !== undefined
                ? this.directory.answered(tx.asked)
                : this.directory.catchUp());
          }
          // decide
          const now = this.clock.now().toISOString();
          const context = { now, actorId: command.actor.sub, actorRole: command.actor.role };
          let decided: readonly Event[];
          try {
            decided = await steps.decide(loaded.state, context, {
              db: tx?.client ?? this.db.pool,
              heads: tx?.heads ?? noHeads,
              requireIdFree: async () => void (await this.log.find(key, hash, streamId)),
            });
            if (decided.length === 0) throw nothingToRecord();
          } catch (refusal) {
            if (!isRefusal(refusal)) throw refusal;
            if (!loaded.fresh) throw new StaleState(); // refused on a cached state: decide on the stream
            const answer =
              (await answerRecorded(recorded)) ??
              (unchanged(refusal) && steps.recordedBy
                ? await answerUnchanged(recorded, steps.recordedBy)
                : undefined);
            if (answer) return answer;
            throw refusal;
          }
          // append
          const events = decided.map((event, index) => toNewEvent(command, key, now, event, index));
          const result = await this.append(tx, command, key, hash, events, loaded.version);
          this.states.remember(
            streamId,
            decided.reduce(steps.evolve, loaded.state),
            BigInt(result.version),
          );
          return result;
        } catch (error) {
          await tx?.rollback();
          if (error instanceof StaleState) {
            this.states.forget(streamId);
            continue;
          }
          const taken = error instanceof AppendConflict && error.on === 'version';
          if (error instanceof WrongExpectedVersion || taken) {
            // Another process wrote first: decide again under the stream's lock from now on, on the
            // cached state plus the stream's tail (the cached state is true of its version).
            this.races.note(streamId);
            continue;
          } else if (error instanceof AppendConflict || error instanceof DuplicateEventId) {
            const answer = await answerRecorded(recorded);
            if (answer) return answer;
            this.states.forget(streamId);
          } else throw error;
          await backoff(attempt);
        } finally {
          await tx?.end();
        }
      }
      throw new Conflict('concurrent_modification', `${streamId} kept changing; try again`);
    });
  }

  /** An adapter without transactions keeps its events outside the command database: no heads there. */
  private get transactional(): TransactionalStore | undefined {
    const store = this.store as TransactionalStore;
    return typeof store.appendWith === 'function' ? store : undefined;
  }

  /** The streams whose heads a transaction reads with its locks: those of the events table. */
  private headsOf(streams: readonly string[]): readonly string[] {
    return this.transactional ? streams : [];
  }

  /**
   * The events and their log row in one statement, its own transaction: the common case, one round
   * trip. A command that holds a transaction already (its stream's lock, a member's guard, the locks
   * of the streams it reads), or one whose events the directory needs, writes them in a transaction
   * with the directory rows (the held one, or one begun here). An adapter without transactions
   * appends, then applies and records.
   */
  private async append(
    held: WriteTransaction | undefined,
    command: CommandEnvelope,
    key: string,
    hash: string,
    events: NewEvent[],
    version: bigint,
  ): Promise<CommandResult> {
    const options = { expectedVersion: version < 0n ? ('no_stream' as const) : version };
    const logRow = this.log.rowFor(key, command, hash);
    const store = this.transactional;
    if (!store) {
      const appended = await this.store.append(command.streamId, events, options);
      const result = resultOf(command, appended);
      await this.directory.apply(this.db.pool, withVersions(events, appended));
      await this.log.record(key, command, hash, result);
      await held?.commit();
      return result;
    }
    if (!held && !events.some((e) => isDirectoryEvent(e.type)))
      return resultOf(command, await store.appendWith(command.streamId, events, options, logRow));
    const tx = held ?? (await WriteTransaction.begin(this.db.writePool));
    try {
      const appended = await store.appendInTransaction(
        tx.client,
        command.streamId,
        events,
        options,
        logRow,
      );
      await this.directory.apply(tx.client, withVersions(events, appended));
      await tx.commit();
      store.notifyAppended();
      return resultOf(command, appended);
    } finally {
      if (!held) await tx.end();
    }
  }
}

/** The decider refused on this process's cached state, which another process may have overtaken. */
class StaleState extends Error {}
