import { Inject, Injectable } from '@nestjs/common';
import {
  Conflict,
  NotFound,
  eventSchemaVersions,
  type CommandContext,
  type DomainEventType,
} from '#domain';
import {
  DuplicateEventId,
  WrongExpectedVersion,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '#event-store';
import { EVENT_STORE } from '#platform';
import { DirectoryService } from '../directory/directory.service.js';
import type { Actor } from './actor.js';
import { CLOCK, type Clock } from './clock.js';
import { commandKey, eventIdFor, maxEventsPerCommand } from './command-id.js';
import { CommandLog } from './command-log.js';
import type { CommandResult } from './command-result.js';
import { readCurrentStream } from './current-events.js';
import { KeyedMutex } from './keyed-mutex.js';

type PlainEvent = Readonly<{ type: string; data: object }>;

export type CommandSpec<State, Event extends PlainEvent> = Readonly<{
  /** `POST /shifts`: namespaces the command id in the idempotency log. */
  route: string;
  /** The client's command id (the aggregate id for a creation). */
  commandId: string;
  /** Everything that makes the request what it is (path id and body), for "same id, other body". */
  request: unknown;
  /** The data subject whose personal data `request` carries: erasing them forgets the body. */
  subject?: string;
  actor: Actor;
  /** The id answered to the client (the aggregate id, or the assistance id). */
  id: string;
  streamId: string;
  evolve: (state: State, event: Event) => State;
  initialState: State;
  /** An action on an aggregate that must exist: an empty stream answers 404. */
  notFound?: NotFound;
  /** Checks the actor's rights against the current state; throws Forbidden or NotFound. */
  authorize?: (state: State) => Promise<void> | void;
  /** The decider call, with the command context (`now`, actor) already built. */
  decide: (state: State, context: CommandContext) => Promise<Event[]> | Event[];
  /** When the fact happened, for the envelope's `occurredAt` (default: now). */
  occurredAt?: (event: Event) => string | undefined;
  /** Turns the decided event into what is stored (e.g. personal data sealed). */
  prepare?: (event: Event) => Promise<Event> | Event;
}>;

const maxAttempts = 5;
/** Jittered pause before another attempt, so that writers in several processes stop colliding. */
const backoff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, attempt * (5 + Math.random() * 20)));

/**
 * The thin handler loop of STYLE.md, shared by every command: read the stream, fold, authorize,
 * decide, append with the expected version; on a version conflict start again (a few times, then
 * 409). Idempotency: the command key is claimed in the command log, and event ids derive from it,
 * so a resend finds its own events in the stream and answers the first result without writing.
 */
@Injectable()
export class CommandRunner {
  private readonly streams = new KeyedMutex();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly log: CommandLog,
    private readonly directory: DirectoryService,
  ) {}

  run<State, Event extends PlainEvent>(spec: CommandSpec<State, Event>): Promise<CommandResult> {
    return this.streams.run(spec.streamId, () => this.runAlone(spec));
  }

  private async runAlone<State, Event extends PlainEvent>(
    spec: CommandSpec<State, Event>,
  ): Promise<CommandResult> {
    const key = commandKey(spec.route, spec.commandId);
    const hash = this.log.hash(spec.request);
    const ownIds = new Set(
      Array.from({ length: maxEventsPerCommand }, (_, i) => eventIdFor(key, i)),
    );
    let claim: 'owned' | 'shared' | undefined;
    let completed = false;
    let wrote = false;
    try {
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        const stream = await readCurrentStream(this.store, spec.streamId); // upcast: folds see current shapes
        if (stream.length === 0 && spec.notFound) throw spec.notFound;
        let state = spec.initialState;
        for (const e of stream)
          state = spec.evolve(state, { type: e.type, data: e.data } as unknown as Event);
        await spec.authorize?.(state);
        if (!claim) {
          const outcome = await this.log.claim(key, spec.route, hash, spec.subject);
          if (outcome.kind === 'done') return outcome.result;
          claim = outcome.kind;
        }
        const own = stream.filter((e) => ownIds.has(e.eventId));
        if (own.length > 0) {
          // Recorded before (a crash after the append, or a concurrent twin won the race). The attempt
          // that appended may have failed before telling the directory (the database went away after
          // the commit): applying again is a no-op when it did (version-guarded).
          await this.directory.applyRecorded(own);
          const result = this.resultOf(spec, own[own.length - 1]!);
          await this.log.complete(key, spec.route, hash, result, spec.subject);
          completed = true;
          return result;
        }
        const now = this.clock.now().toISOString();
        const context: CommandContext = {
          now,
          actorId: spec.actor.sub,
          actorRole: spec.actor.role,
        };
        const decided = await spec.decide(state, context);
        if (decided.length === 0)
          throw new Conflict('nothing_to_record', 'the command changes nothing');
        const events = await Promise.all(decided.map((e) => (spec.prepare ? spec.prepare(e) : e)));
        const toAppend: NewEvent[] = events.map((event, index) => ({
          eventId: eventIdFor(key, index),
          type: event.type,
          schemaVersion: eventSchemaVersions[event.type as DomainEventType] ?? 1,
          data: event.data as Record<string, unknown>,
          metadata: {
            occurredAt: spec.occurredAt?.(decided[index]!) ?? now,
            recordedAt: now,
            recordedBy: spec.actor.sub,
            commandId: spec.commandId,
            correlationId: spec.commandId,
            causationId: null,
          },
        }));
        const last = stream[stream.length - 1];
        try {
          const appended = await this.store.append(spec.streamId, toAppend, {
            expectedVersion: last ? last.streamVersion : 'no_stream',
          });
          wrote = true;
          const first = appended.nextExpectedVersion - BigInt(toAppend.length) + 1n;
          await this.directory.applyRecorded(
            toAppend.map((e, i) => ({
              type: e.type,
              data: e.data,
              streamVersion: first + BigInt(i),
            })),
          );
          const result: CommandResult = {
            id: spec.id,
            streamId: spec.streamId,
            version: Number(appended.nextExpectedVersion),
            position: Number(appended.position),
          };
          await this.log.complete(key, spec.route, hash, result, spec.subject);
          completed = true;
          return result;
        } catch (error) {
          // A twin of this command got there first (sealed values differ, hence possibly DuplicateEventId):
          // the next round finds its events and answers its result.
          if (!(error instanceof WrongExpectedVersion || error instanceof DuplicateEventId))
            throw error;
          await backoff(attempt);
        }
      }
      throw new Conflict('concurrent_modification', `${spec.streamId} kept changing; try again`);
    } finally {
      // A claim whose events were appended stays (result pending) when a later step fails: the resend
      // of the same body then answers their result, and another body under the same id a 409.
      if (claim === 'owned' && !completed && !wrote) await this.log.release(key);
    }
  }

  private resultOf(spec: { id: string; streamId: string }, event: RecordedEvent): CommandResult {
    return {
      id: spec.id,
      streamId: spec.streamId,
      version: Number(event.streamVersion),
      position: Number(event.globalPosition),
    };
  }
}
