import type { EventStore } from '#event-store';
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
