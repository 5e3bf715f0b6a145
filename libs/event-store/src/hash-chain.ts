import { hash } from 'node:crypto';
import type { NewEvent, RecordedEvent, StreamVerification } from './event-store.port.js';

/**
 * The per-stream hash chain, computed here and not inside an adapter so that both adapters carry the
 * same chain and an auditor can check it with nothing but the events.
 *
 * hash(n) = SHA-256( previousHash ?? "" , "\n", canonical(event n) ), hex-encoded, where the canonical
 * encoding is JSON with object keys sorted at every depth, over the fields that identify the fact:
 * streamId, streamVersion (decimal string), eventId, type, schemaVersion, data, metadata.
 * The global position is left out on purpose: it is assigned by the store at commit time, and a
 * stream's chain must not depend on what other streams were doing.
 */

/**
 * JSON with keys sorted at every depth; otherwise what JSON.stringify produces (undefined, functions and
 * symbols dropped from objects and written as null in arrays, toJSON honoured). Written by hand rather
 * than through sorted copies because it runs for every event appended.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'string') return JSON.stringify(value);
    if (typeof value === 'bigint') return JSON.stringify(value.toString());
    return JSON.stringify(value) ?? 'null';
  }
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return canonicalJson(withJson.toJSON());
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += omitted(value[i]) ? 'null' : canonicalJson(value[i]);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (!isSorted(keys)) keys.sort();
  let out = '{';
  for (const key of keys) {
    const item = record[key];
    if (omitted(item)) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(key)}:${canonicalJson(item)}`;
  }
  return `${out}}`;
}

function omitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

function isSorted(keys: string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) return false;
  return true;
}

export type ChainedFields = Pick<RecordedEvent, 'streamId' | 'streamVersion'> & NewEvent;

/** The canonical encoding of one event (see the module comment): its fields in sorted key order. */
export function canonicalEncoding(event: ChainedFields): string {
  return (
    `{"data":${canonicalJson(event.data)},"eventId":${JSON.stringify(event.eventId)}` +
    `,"metadata":${canonicalJson(event.metadata)},"schemaVersion":${canonicalJson(event.schemaVersion)}` +
    `,"streamId":${JSON.stringify(event.streamId)},"streamVersion":"${event.streamVersion.toString()}"` +
    `,"type":${JSON.stringify(event.type)}}`
  );
}

export function chainHash(previousHash: string | null, event: ChainedFields): string {
  return hash('sha256', `${previousHash ?? ''}\n${canonicalEncoding(event)}`, 'hex');
}

export type ChainLink = Readonly<{
  streamVersion: bigint;
  hash: string;
  previousHash: string | null;
}>;

/**
 * Hashes for a batch about to be appended after the stream's head (`headVersion` -1n / `headHash` null
 * for a new stream). Adapters call this once per append attempt.
 */
export function chainBatch(
  streamId: string,
  headVersion: bigint,
  headHash: string | null,
  events: readonly NewEvent[],
): ChainLink[] {
  const links: ChainLink[] = [];
  let previousHash = headHash;
  let version = headVersion;
  for (const event of events) {
    version += 1n;
    const hash = chainHash(previousHash, { ...event, streamId, streamVersion: version });
    links.push({ streamVersion: version, hash, previousHash });
    previousHash = hash;
  }
  return links;
}

/**
 * Recomputes the chain over a stream's events, read forwards from version 0. A stored hash that does
 * not match its recomputation, a broken link or a gap in versions marks the first invalid version.
 */
export class StreamVerifier {
  private previousHash: string | null = null;
  private expectedVersion = 0n;
  private count = 0;
  private firstInvalid: bigint | undefined;

  constructor(private readonly streamId: string) {}

  add(event: RecordedEvent): void {
    this.count += 1;
    if (this.firstInvalid === undefined) {
      const recomputed = chainHash(this.previousHash, event);
      const linked = event.previousHash === this.previousHash;
      if (event.streamVersion !== this.expectedVersion || !linked || recomputed !== event.hash) {
        this.firstInvalid = event.streamVersion;
      }
    }
    // Continue from the stored hash so the report names the first altered event, not all that follow.
    this.previousHash = event.hash;
    this.expectedVersion = event.streamVersion + 1n;
  }

  result(): StreamVerification {
    return {
      streamId: this.streamId,
      valid: this.firstInvalid === undefined,
      events: this.count,
      headHash: this.previousHash,
      ...(this.firstInvalid === undefined ? {} : { firstInvalidVersion: this.firstInvalid }),
    };
  }
}
