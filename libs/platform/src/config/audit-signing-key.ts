import { join } from 'node:path';
import { generateSignerKey } from '#event-store';
import { loadOrCreateKeptFile } from './jwt-secret.js';

export const AUDIT_SIGNING_KEY_FILE = 'audit-signing-key';

/**
 * The log's note signer key when AUDIT_SIGNING_KEY is unset: generated once, named after the log's
 * origin, and kept in DATA_DIR (mode 0600), outside the database it vouches for; a server and a CLI
 * starting together agree on one key (loadOrCreateKeptFile).
 */
export function loadOrCreateAuditSigningKey(dataDir: string, name: string): string {
  return loadOrCreateKeptFile(join(dataDir, AUDIT_SIGNING_KEY_FILE), () => generateSignerKey(name));
}

/** `10s`, `500ms`, `2m` or a bare number of milliseconds; undefined when malformed. */
export function parseDuration(raw: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/i.exec(raw.trim());
  if (!match) return undefined;
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[
    (match[2] ?? 'ms').toLowerCase() as 'ms'
  ];
  return Math.round(Number(match[1]) * unit);
}
