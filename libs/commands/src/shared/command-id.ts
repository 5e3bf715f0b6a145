import { createHmac, hash, randomUUID } from 'node:crypto';
import { canonicalJson } from '#event-store';

/**
 * Ids of a command and of the events it produces. Every command has an id (the aggregate id for a
 * creation, the `commandId` field or the `Idempotency-Key` header for an action); the event ids are
 * derived from it, so a retried request can never append the same fact twice.
 */

/** A UUID-shaped name derived from SHA-256 (RFC 9562 version 8: custom, deterministic). */
export function uuidFromName(name: string): string {
  const bytes = hash('sha256', name, 'buffer').subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The most events one command ever produces; bounds the search for a command's own events. */
export const maxEventsPerCommand = 8;

/** Command ids are namespaced by route: the same client id on `/units` and `/members` are two commands. */
export const commandKey = (route: string, commandId: string): string => `${route} ${commandId}`;

export const eventIdFor = (key: string, index: number): string => uuidFromName(`${key}#${index}`);

/**
 * The id of a command that happens once per target (a member's erasure, a campaign's closing, a
 * member's skill): the client's, else one derived from the target, `parts` joined by "/", which no
 * client id may hold (idPattern), so that no client's key can take it. An earlier version joined them
 * by "-", which any client could send as a key of its own: a coordinator who erased a member of
 * their own under the key "erase-<a member elsewhere>" made that member's erasure a 409 for ever
 * (and the refused erasure still destroyed the member's key). That earlier id is kept among
 * `formerIds`, so a resend of a command recorded under it still answers its first result.
 */
export function onceCommandId(
  given: string | undefined,
  ...parts: string[]
): { commandId: string; formerIds?: readonly FormerIdentity[] } {
  if (given !== undefined) return { commandId: given };
  return { commandId: parts.join('/'), formerIds: [{ commandId: parts.join('-') }] };
}

/**
 * How an earlier version recorded a command, where that differs from today: its id, the request its
 * body hash was made of, the stream it wrote to. A resend of a command recorded so answers that
 * first result (CommandEnvelope.formerIds).
 */
export type FormerIdentity = Readonly<{ commandId: string; request?: unknown; streamId?: string }>;

/** The id of an action: the client's `commandId`, else its `Idempotency-Key`, else a fresh one (no retry safety). */
export function resolveActionId(
  commandId: string | undefined,
  idempotencyKey: string | undefined,
): string {
  return commandId ?? idempotencyKey ?? randomUUID();
}

/** The id of a created aggregate: the client's `id`, else one derived from its `Idempotency-Key`, else fresh. */
export function resolveCreationId(
  id: string | undefined,
  idempotencyKey: string | undefined,
  route: string,
): string {
  if (id) return id;
  return idempotencyKey ? uuidFromName(`${route} key ${idempotencyKey}`) : randomUUID();
}

/** Marks the body hashes of `bodyHash`; a stored hash without it is a legacy, unkeyed one. */
export const bodyHashPrefix = 'k1:';

/**
 * What the idempotency log keeps of a body: an HMAC keyed with a secret outside the database, so a
 * dump of the log reveals nothing (an unkeyed SHA-256 of an enrolment could be confirmed by hashing a
 * guessed name). The HMAC is taken over the body's SHA-256, which is what the log stored before, so
 * rows written then are converted in place (`keyedDigest` of their hex) without the bodies. The body
 * is written as the hash chain writes event data (keys sorted at every depth, undefined members left
 * out), so equal bodies hash equally whatever their key order.
 */
export const bodyHash = (body: unknown, key: Buffer): string =>
  keyedDigest(hash('sha256', canonicalJson(body)), key);

export const keyedDigest = (sha256Hex: string, key: Buffer): string =>
  bodyHashPrefix + createHmac('sha256', key).update(Buffer.from(sha256Hex, 'hex')).digest('hex');
