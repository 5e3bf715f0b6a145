import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeDirectory } from '../files/make-directory.js';

export const JWT_SECRET_FILE = 'jwt-secret';

/**
 * The secret the server and the CLI share when AUTH_JWT_SECRET is unset: generated once and kept in
 * DATA_DIR (mode 0600), a server and a CLI starting together agreeing on one (loadOrCreateKeptFile).
 */
export function loadOrCreateJwtSecret(dataDir: string): string {
  return loadOrCreateKeptFile(join(dataDir, JWT_SECRET_FILE), () =>
    randomBytes(32).toString('base64url'),
  );
}

/**
 * What `file` keeps (trimmed), or a value `make` makes, stored there (mode 0600) on first use. It is
 * written whole into a file of its own, then linked into place, which fails (EEXIST) when another
 * process stored its value first: that one is used, so a server and a CLI starting together agree.
 * Written in place, a first start on a full disk left the file empty (created, its value not written),
 * and every later start refused it, the disk freed or not ("AUDIT_SIGNING_KEY: malformed signer key",
 * of a variable nobody set). An empty file, as such a start of an earlier release left, held nothing
 * that was ever signed or read with it, and is replaced.
 */
export function loadOrCreateKeptFile(file: string, make: () => string): string {
  const kept = readKeptFile(file);
  if (kept) return kept;
  makeDirectory(dirname(file));
  // removed only while still empty: a value another process put in its place meanwhile is kept
  if (kept === '' && readKeptFile(file) === '') rmSync(file, { force: true });
  const value = make();
  const draft = `${file}.${process.pid}.new`;
  try {
    writeFileSync(draft, `${value}\n`, { mode: 0o600 });
    chmodSync(draft, 0o600); // the umask may have widened nothing, but a pre-set umask can narrow only
    linkSync(draft, file);
    return value;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readFileSync(file, 'utf8').trim(); // another process won the race: use its value
  } finally {
    rmSync(draft, { force: true });
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
