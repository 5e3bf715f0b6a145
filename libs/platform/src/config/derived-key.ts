import { createHash } from 'node:crypto';

/**
 * A 32-byte key for one purpose, derived from the configured secret (AUTH_JWT_SECRET or the one kept in
 * DATA_DIR). The secret lives outside the database, so values keyed with it (a citizen's subject id, the
 * idempotency log's body hashes) reveal nothing to someone holding only a dump: without the key, trying
 * every ID-card number or every name leads nowhere. The purpose label keeps the keys apart.
 */
export function derivedKey(secret: string, purpose: string): Buffer {
  return createHash('sha256').update(`${purpose}:${secret}`).digest();
}
