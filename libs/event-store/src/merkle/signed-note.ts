import {
  createHash,
  createPrivateKey,
  createPublicKey,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/**
 * Signed notes as golang.org/x/mod/sumdb/note defines them (and C2SP signed-note), Ed25519 only.
 *
 *   signer key   PRIVATE+KEY+<name>+<hash>+<base64(0x01 ‖ 32-byte seed)>
 *   verifier key <name>+<hash>+<base64(0x01 ‖ 32-byte public key)>
 *   key hash     first 4 bytes, big-endian, of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key), 8 hex digits
 *   note         text (lines ending in "\n") ‖ "\n" ‖ one line per signature:
 *                "— <name> <base64(4-byte key hash ‖ 64-byte signature)>\n", signing the text exactly
 */

const ALG_ED25519 = 0x01;
const SIGNATURE_PREFIX = '\u2014 '; // "— ": an em dash and a space
/** note.Open stops reading a note with more signatures than this. */
const MAX_SIGNATURES = 100;
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');

export type NoteSigner = Readonly<{
  name: string;
  keyHash: number;
  /** The matching verifier key, as `note.NewVerifier` takes it. */
  verifierKey: string;
  sign(message: Uint8Array): Buffer;
}>;

export type NoteVerifier = Readonly<{
  name: string;
  keyHash: number;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}>;

export class NoteError extends Error {
  override name = 'NoteError';
}

/** A name is non-empty, has no "+" and no whitespace (note.go's isValidName). */
const validName = (name: string) => name.length > 0 && !/[+\s]/u.test(name);

export function keyHash(name: string, algAndKey: Uint8Array): number {
  return createHash('sha256').update(`${name}\n`).update(algAndKey).digest().readUInt32BE(0);
}

const hex8 = (n: number) => n.toString(16).padStart(8, '0');

/** A new signer key named `name` (what an operator keeps outside the database). */
export function generateSignerKey(name: string): string {
  if (!validName(name)) throw new NoteError(`invalid key name "${name}"`);
  const seed = randomBytes(32);
  const publicKey = ed25519Public(privateFromSeed(seed));
  const algKey = Buffer.concat([Buffer.from([ALG_ED25519]), publicKey]);
  const encoded = Buffer.concat([Buffer.from([ALG_ED25519]), seed]).toString('base64');
  return `PRIVATE+KEY+${name}+${hex8(keyHash(name, algKey))}+${encoded}`;
}

export function parseSignerKey(skey: string): NoteSigner {
  const trimmed = skey.trim();
  if (!trimmed.startsWith('PRIVATE+KEY+'))
    throw new NoteError('malformed signer key: expected PRIVATE+KEY+<name>+<hash>+<key>');
  const [name, hash, encoded] = chop(trimmed.slice('PRIVATE+KEY+'.length));
  const raw = Buffer.from(encoded, 'base64');
  if (
    !validName(name) ||
    !/^[0-9a-f]{8}$/.test(hash) ||
    raw.length !== 33 ||
    raw[0] !== ALG_ED25519
  )
    throw new NoteError('malformed signer key');
  const privateKey = privateFromSeed(raw.subarray(1));
  const algKey = Buffer.concat([Buffer.from([ALG_ED25519]), ed25519Public(privateKey)]);
  const computed = keyHash(name, algKey);
  if (hex8(computed) !== hash) throw new NoteError('signer key hash does not match its key');
  return {
    name,
    keyHash: computed,
    verifierKey: `${name}+${hash}+${algKey.toString('base64')}`,
    sign: (message) => sign(null, message, privateKey),
  };
}

export function parseVerifierKey(vkey: string): NoteVerifier {
  const [name, hash, encoded] = chop(vkey.trim());
  const algKey = Buffer.from(encoded, 'base64');
  // as note.NewVerifier reads it: the hash in hex of either case, the key exactly standard base64
  // (Buffer.from decodes past junk, so the text is compared back)
  if (
    !validName(name) ||
    !/^[0-9a-f]{8}$/i.test(hash) ||
    algKey.length !== 33 ||
    algKey.toString('base64') !== encoded
  )
    throw new NoteError('malformed verifier key');
  if (algKey[0] !== ALG_ED25519) throw new NoteError('verifier key: unknown algorithm');
  if (hex8(keyHash(name, algKey)) !== hash.toLowerCase())
    throw new NoteError('verifier key hash does not match its key');
  const publicKey = createPublicKey({
    key: Buffer.concat([SPKI_ED25519, algKey.subarray(1)]),
    format: 'der',
    type: 'spki',
  });
  return {
    name,
    keyHash: Number.parseInt(hash, 16),
    verify: (message, signature) =>
      signature.length === 64 && verify(null, message, publicKey, signature),
  };
}

/** Signs `text` (non-empty, every line ending in "\n") into a note with one signature. */
export function signNote(text: string, signer: NoteSigner): string {
  if (!text.endsWith('\n') || text.includes('\n\n') || text.startsWith('\n'))
    throw new NoteError('note text must be non-empty lines, each ending in a newline');
  const hash = Buffer.alloc(4);
  hash.writeUInt32BE(signer.keyHash);
  const signature = Buffer.concat([hash, signer.sign(Buffer.from(text, 'utf8'))]);
  return `${text}\n${SIGNATURE_PREFIX}${signer.name} ${signature.toString('base64')}\n`;
}

/**
 * Checks a note against keys the caller trusts, as `note.Open` does: returns its text when at least
 * one signature is by a known key and every signature by a known key verifies; otherwise throws.
 * Whatever note.Open calls malformed is refused here too (an auditor's own tools read the same
 * checkpoint): a control character other than a newline, a signature line whose name is not a key
 * name or whose signature is not exactly standard base64 (Buffer.from decodes past junk), more than
 * 100 signatures. A repeated signature by the same key is passed over, as note.Open does.
 */
export function openNote(note: string, verifiers: readonly NoteVerifier[]): string {
  for (let i = 0; i < note.length; i++) {
    const code = note.charCodeAt(i);
    if (code < 0x20 && code !== 0x0a)
      throw new NoteError(
        `malformed note: control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`,
      );
  }
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw new NoteError('malformed note: no signature block');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_SIGNATURES)
    throw new NoteError(`malformed note: more than ${MAX_SIGNATURES} signatures`);
  const seen = new Set<string>();
  let verified = 0;
  for (const [i, line] of lines.entries()) {
    const signature = `malformed note: signature line ${i + 1}`;
    if (!line.startsWith(SIGNATURE_PREFIX))
      throw new NoteError(`${signature} does not begin with "${SIGNATURE_PREFIX}"`);
    const rest = line.slice(SIGNATURE_PREFIX.length);
    const space = rest.indexOf(' ');
    const name = space < 0 ? rest : rest.slice(0, space);
    const encoded = space < 0 ? '' : rest.slice(space + 1);
    if (!validName(name)) throw new NoteError(`${signature}: "${name}" is not a key name`);
    const raw = Buffer.from(encoded, 'base64');
    if (!encoded || raw.toString('base64') !== encoded)
      throw new NoteError(`${signature}: the signature is not standard base64`);
    if (raw.length < 5) throw new NoteError(`${signature}: the signature is too short`);
    const hash = raw.readUInt32BE(0);
    const verifier = verifiers.find((v) => v.name === name && v.keyHash === hash);
    if (!verifier) continue; // signed by a key the caller does not know: ignored, as note.Open does
    if (seen.has(`${name}+${hash}`)) continue;
    seen.add(`${name}+${hash}`);
    if (!verifier.verify(Buffer.from(text, 'utf8'), raw.subarray(4)))
      throw new NoteError(`invalid signature by ${verifier.name}`);
    verified += 1;
  }
  if (!verified) throw new NoteError('no signature by a trusted key');
  return text;
}

export type Checkpoint = Readonly<{ origin: string; treeSize: number; rootHash: Buffer }>;

/** The C2SP tlog-checkpoint body: origin, tree size in decimal, base64 root hash, one per line. */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  return `${checkpoint.origin}\n${checkpoint.treeSize}\n${checkpoint.rootHash.toString('base64')}\n`;
}

export function parseCheckpoint(text: string): Checkpoint {
  const lines = text.split('\n');
  const [origin, size, root] = lines;
  const rootHash = Buffer.from(root ?? '', 'base64');
  if (!origin || !/^(0|[1-9]\d{0,15})$/.test(size ?? '') || rootHash.length !== 32)
    throw new NoteError('malformed checkpoint: expected origin, tree size and root hash lines');
  // Sixteen digits pass the pattern, but past 2^53 a number is not the size written (leaf indices
  // are exact up to there, merkle-tree.ts): 9007199254740993 was read, and reported, as …992.
  if (!Number.isSafeInteger(Number(size)))
    throw new NoteError(`malformed checkpoint: tree size ${size} is beyond 2^53 - 1`);
  if (rootHash.toString('base64') !== root) throw new NoteError('malformed checkpoint root hash');
  return { origin, treeSize: Number(size), rootHash };
}

/** `<name>+<hash>+<key>`: the base64 key may itself hold "+", so only the first two separate. */
function chop(key: string): [string, string, string] {
  const first = key.indexOf('+');
  const second = key.indexOf('+', first + 1);
  if (first < 0 || second < 0) throw new NoteError('malformed key: expected <name>+<hash>+<key>');
  return [key.slice(0, first), key.slice(first + 1, second), key.slice(second + 1)];
}

function privateFromSeed(seed: Uint8Array): KeyObject {
  return createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519, seed]),
    format: 'der',
    type: 'pkcs8',
  });
}

function ed25519Public(privateKey: KeyObject): Buffer {
  const der = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return der.subarray(SPKI_ED25519.length);
}
