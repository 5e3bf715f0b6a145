import { join } from 'node:path';
import { derivedKey } from './derived-key.js';
import { loadOrCreateKeptFile } from './jwt-secret.js';

export const CITIZEN_SUBJECT_KEY_FILE = 'citizen-subject-key';

/** A kept citizen subject key: 32 bytes, base64url without padding. */
export const isCitizenSubjectKey = (value: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(value);

/**
 * The key of citizens' subject ids (an HMAC of each reference, see CitizenSubjects) when
 * CITIZEN_SUBJECT_KEY is unset (a deployment whose DATA_DIR is not kept sets it), kept in DATA_DIR
 * (mode 0600) outside the database, and never changed with the JWT secret. Derived from the secret at
 * every start, it changed when an operator rotated the secret to revoke every token (README): each
 * citizen recorded before then had another subject, and erasing them answered 201 but destroyed a key
 * nobody had, leaving the one that opens their reference beside it in the database. It is made once
 * from the secret in force, as earlier releases derived it, so citizens recorded before keep theirs.
 */
export function loadOrCreateCitizenSubjectKey(dataDir: string, jwtSecret: string): string {
  return loadOrCreateKeptFile(join(dataDir, CITIZEN_SUBJECT_KEY_FILE), () =>
    derivedKey(jwtSecret, 'citizen-subject').toString('base64url'),
  );
}
