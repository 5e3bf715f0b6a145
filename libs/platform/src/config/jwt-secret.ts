import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDirectory } from '../files/make-directory.js';

export const JWT_SECRET_FILE = 'jwt-secret';

/**
 * The secret the server and the CLI share when AUTH_JWT_SECRET is unset: generated once and kept in
 * DATA_DIR (mode 0600). Created with `wx` so that a server and a CLI starting together agree on one.
 */
export function loadOrCreateJwtSecret(dataDir: string): string {
  const file = join(dataDir, JWT_SECRET_FILE);
  const kept = readKeptFile(file);
  if (kept !== undefined) return kept;
  makeDirectory(dataDir);
  const secret = randomBytes(32).toString('base64url');
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600); // the umask may have widened nothing, but a pre-set umask can narrow only
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readFileSync(file, 'utf8').trim(); // another process won the race: use its secret
  }
}

/** A file kept in DATA_DIR, trimmed; undefined when there is none (nothing is created). */
export function readKeptFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return undefined;
  }
}
