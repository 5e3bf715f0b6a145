import {
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type EventData,
  type Filter,
  type ResolvedEvent,
} from '@eventstore/db-client';
import type { EventFilter, EventMetadata, NewEvent, RecordedEvent } from '../event-store.port.js';
import type { ChainLink } from '../hash-chain.js';

/**
 * How our envelope travels in EventStoreDB: the event's own metadata plus one reserved key carrying
 * what EventStoreDB has no field for (the hash chain and the schema version).
 */
const CHAIN_KEY = '__chain';
type ChainMetadata = { hash: string; previousHash: string | null; schemaVersion: number };

export function toEventData(event: NewEvent, link: ChainLink): EventData {
  const chain: ChainMetadata = {
    hash: link.hash,
    previousHash: link.previousHash,
    schemaVersion: event.schemaVersion,
  };
  return jsonEvent({
    id: event.eventId,
    type: event.type,
    data: { ...event.data },
    metadata: { ...event.metadata, [CHAIN_KEY]: chain },
  });
}

/**
 * EventStoreDB reports, for each event of a gRPC append (an implicit transaction), a commit and a prepare
 * position; the prepare position is the event's own place in the log, so it is strictly increasing in
 * $all order and is what we hand out as `globalPosition`. For those events commit = prepare, which is
 * why `{ commit: p, prepare: p }` resumes a read exactly there. Stream reads from servers that do not
 * report positions give -1n.
 */
export function positionOf(resolved: ResolvedEvent | AllStreamResolvedEvent): bigint {
  const position = resolved.event?.position;
  if (!position || position.prepare >= 0xffff_ffff_ffff_ffffn) return -1n;
  return position.prepare;
}

export function readPositionAfter(position: bigint): { commit: bigint; prepare: bigint } {
  return { commit: position, prepare: position };
}

/** Our event, or undefined for what is not one of ours (system events, links, foreign events). */
export function toRecordedEvent(
  resolved: ResolvedEvent | AllStreamResolvedEvent,
): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event || !event.isJson || event.type.startsWith('$') || event.streamId.startsWith('$'))
    return undefined;
  const raw = event.metadata as Record<string, unknown> | undefined;
  const chain = raw?.[CHAIN_KEY] as ChainMetadata | undefined;
  if (!raw || !chain || typeof chain.hash !== 'string') return undefined;
  const { [CHAIN_KEY]: _chain, ...metadata } = raw;
  return {
    eventId: event.id,
    type: event.type,
    schemaVersion: chain.schemaVersion,
    data: event.data as Record<string, unknown>,
    metadata: metadata as unknown as EventMetadata,
    streamId: event.streamId,
    streamVersion: event.revision,
    globalPosition: positionOf(resolved),
    hash: chain.hash,
    previousHash: chain.previousHash,
  };
}

export function matchesFilter(event: RecordedEvent, filter: EventFilter | undefined): boolean {
  if (filter?.eventTypes && !filter.eventTypes.includes(event.type)) return false;
  if (
    filter?.streamPrefixes &&
    !filter.streamPrefixes.some((prefix) => event.streamId.startsWith(prefix))
  )
    return false;
  return true;
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The server-side filter for a subscription (EventStoreDB filters on one thing: stream names or event
 * types); `matchesFilter` applies the whole filter again on the client.
 */
export function serverFilter(filter: EventFilter | undefined): Filter {
  if (filter?.streamPrefixes) return streamNameFilter({ prefixes: [...filter.streamPrefixes] });
  if (filter?.eventTypes)
    return eventTypeFilter({ regex: `^(${filter.eventTypes.map(escapeRegex).join('|')})$` });
  return excludeSystemEvents();
}
