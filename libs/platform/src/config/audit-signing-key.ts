import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSignerKey } from '#event-store';
import { readKeptFile } from './jwt-secret.js';
import { makeDirectory } from '../files/make-directory.js';

export const AUDIT_SIGNING_KEY_FILE = 'audit-signing-key';

/**
 * The log's note signer key when AUDIT_SIGNING_KEY is unset: generated once, named after the log's
 * origin, and kept in DATA_DIR (mode 0600), outside the database it vouches for. Created with `wx` so
 * that a server and a CLI starting together agree on one key.
 */
export function loadOrCreateAuditSigningKey(dataDir: string, name: string): string {
  const file = join(dataDir, AUDIT_SIGNING_KEY_FILE);
  const kept = readKeptFile(file);
  if (kept !== undefined) return kept;
  makeDirectory(dataDir);
  const key = generateSignerKey(name);
  try {
    writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readFileSync(file, 'utf8').trim();
  }
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
