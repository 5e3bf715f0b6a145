import { ANY, NO_STREAM } from '@eventstore/db-client';
import {
  DuplicateEventId,
  type AppendResult,
  type ExpectedVersion,
  type NewEvent,
  type RecordedEvent,
} from '../event-store.port.js';
import { canonicalJson } from '../hash-chain.js';

/**
 * Whether `events` were already appended to the stream, judged on its newest events (`recent`): the
 * first result when all their ids are there with the same content; DuplicateEventId when some id is
 * there with other content or only part of the batch is; undefined when none is.
 */
export function alreadyAppended(
  streamId: string,
  events: readonly NewEvent[],
  recent: RecordedEvent[],
): AppendResult | undefined {
  const byId = new Map(recent.map((event) => [event.eventId, event]));
  const found = events.map((event) => byId.get(event.eventId));
  if (found.every((stored) => stored === undefined)) return undefined;
  let last: RecordedEvent | undefined;
  events.forEach((event, i) => {
    const stored = found[i];
    const same =
      stored &&
      stored.type === event.type &&
      canonicalJson(stored.data) === canonicalJson(event.data) &&
      canonicalJson(stored.metadata) === canonicalJson(event.metadata);
    if (!same) throw new DuplicateEventId(event.eventId, streamId);
    if (!last || stored.streamVersion > last.streamVersion) last = stored;
  });
  return { nextExpectedVersion: last!.streamVersion, position: last!.globalPosition };
}

export function versionMatches(
  expected: ExpectedVersion,
  head: RecordedEvent | undefined,
): boolean {
  if (expected === ANY) return true;
  if (expected === NO_STREAM) return head === undefined;
  if (expected === 'stream_exists') return head !== undefined;
  return head !== undefined && head.streamVersion === expected;
}
