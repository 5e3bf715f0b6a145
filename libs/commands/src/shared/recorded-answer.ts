import type { EventStore, RecordedEvent } from '#event-store';
import { Conflict } from '#domain';
import { eventIdFor, maxEventsPerCommand } from './command-id.js';
import type { CommandLog } from './command-log.js';
import type { CommandResult } from './command-result.js';

/** Where an earlier version recorded a command (CommandEnvelope.formerIds), as the log holds it. */
export type FormerRecord = Readonly<{ key: string; hash: string; streamId: string }>;

export type RecordedAnswer = Readonly<{
  key: string;
  hash: string;
  formers: readonly FormerRecord[];
  command: Readonly<{ route: string; subject?: string; id: string; streamId: string }>;
  log: CommandLog;
  store: EventStore;
}>;

/**
 * The slow path of idempotency, taken after authorization when a command was refused or its events
 * are already stored: its first result if it was recorded with this body (409 with another body),
 * undefined if it was not recorded. A database written by the earlier, two-step log may hold a
 * command's events without its result (a crash between the two steps): they are found by their ids,
 * which derive from the command key, and the result is recorded then.
 */
export async function answerRecorded(recorded: RecordedAnswer): Promise<CommandResult | undefined> {
  const { key, hash, formers, command, log, store } = recorded;
  const logged = await log.find(key, hash, command.streamId);
  if (logged) return logged;
  const former = await answerFormer(formers, log);
  if (former) return former;
  const ids = new Set(Array.from({ length: maxEventsPerCommand }, (_, i) => eventIdFor(key, i)));
  const own = (await store.readStream(command.streamId)).filter((e) => ids.has(e.eventId));
  const last = own[own.length - 1];
  if (!last) {
    await log.releaseClaim(key); // a claim of the two-step log that recorded nothing
    return undefined;
  }
  if (await log.claimedWithOtherBody(key, hash))
    throw new Conflict(
      'command_id_reused',
      `command id already used with a different body (${key})`,
    );
  const result: CommandResult = {
    id: command.id,
    streamId: command.streamId,
    version: Number(last.streamVersion),
    position: Number(last.globalPosition),
  };
  await log.record(key, command, hash, result);
  return result;
}

/** The first result of a command an earlier version recorded in one of these ways, if one did. */
export async function answerFormer(
  formers: readonly FormerRecord[],
  log: CommandLog,
): Promise<CommandResult | undefined> {
  for (const { key, hash, streamId } of formers) {
    const result = await log.findOwn(key, hash, streamId);
    if (result) return result;
  }
  return undefined;
}

/**
 * A command whose fact the stream already holds (a skill is attained once per member; the decision
 * appends nothing): the result of the stored event that recorded it (`recordedBy`), kept under this
 * command's id so that the id answers it again and holds its body (409 for another). Undefined when
 * no stored event matches. Without this, a second record answered its first result only when both
 * came without an Idempotency-Key (the derived id found the first in the log) and 409 "changes
 * nothing" otherwise.
 */
export async function answerUnchanged(
  recorded: RecordedAnswer,
  recordedBy: (event: RecordedEvent) => boolean,
): Promise<CommandResult | undefined> {
  const { key, hash, command, log, store } = recorded;
  const event = (await store.readStream(command.streamId)).find(recordedBy);
  if (!event) return undefined;
  await log.record(key, command, hash, {
    id: command.id,
    streamId: command.streamId,
    version: Number(event.streamVersion),
    position: Number(event.globalPosition),
  });
  // what the log holds under the id: this result, or a 409 if another body took it meanwhile
  return log.find(key, hash, command.streamId);
}
