import {
  foldSubtrees,
  formatCheckpoint,
  generateSignerKey,
  openNote,
  parseCheckpoint,
  parseSignerKey,
  parseVerifierKey,
  signNote,
} from '#event-store';
import { buildGoChecker } from './go-tlog-check.js';

/**
 * Our note reader against golang.org/x/mod/sumdb/note (test/tlog-check), the reader an auditor's own
 * tools use: both must take the same notes and refuse the same notes. Found by probing: a signature
 * line with junk in or after its base64, a text holding a carriage return or another control
 * character, and a signature line by an unknown key with no valid name all opened with our reader
 * (verify log, verify certificate said OK) where note.Open calls the note malformed.
 */
describe('a signed checkpoint: opened by our reader exactly when note.Open opens it', () => {
  const origin = 'oracle.test/log';
  const signer = parseSignerKey(generateSignerKey(origin));
  const key = signer.verifierKey;
  const root = foldSubtrees([]).toString('base64');
  const good = signNote(
    formatCheckpoint({ origin, treeSize: 0, rootHash: foldSubtrees([]) }),
    signer,
  );
  const signature = good.split('\n').at(-2)!;
  const base64 = signature.split(' ').at(-1)!;
  const go = buildGoChecker();
  afterAll(() => go.remove());

  const ours = (note: string): string => {
    try {
      parseCheckpoint(openNote(note, [parseVerifierKey(key)]));
      return 'opens';
    } catch (error) {
      return (error as Error).message;
    }
  };

  it.each<[string, string, RegExp | 'opens']>([
    ['the note as signed', good, 'opens'],
    ['its signature line given twice', `${good}${signature}\n`, 'opens'],
    [
      'a second signature by an unknown key',
      `${good}\u2014 other.test/log ${Buffer.alloc(68, 1).toString('base64')}\n`,
      'opens',
    ],
    [
      'a checkpoint with an extension line',
      signNote(`${origin}\n0\n${root}\nextra\n`, signer),
      'opens',
    ],
    ['junk after the signature', good.replace(/\n$/, '!!\n'), /malformed note: signature/],
    [
      'junk inside the signature',
      good.replace(base64, `${base64.slice(0, 9)}*${base64.slice(9)}`),
      /malformed note: signature/,
    ],
    ['padding after the signature', good.replace(/\n$/, '==\n'), /malformed note: signature/],
    [
      'a replacement character after the signature',
      good.replace(/\n$/, '\uFFFD\n'),
      /malformed note: signature/,
    ],
    [
      'a signature with no base64',
      good.replace(` ${base64}\n`, ' \n'),
      /malformed note: signature/,
    ],
    [
      'an unknown key’s signature line with a "+" in its name',
      `${good}\u2014 a+b ${Buffer.alloc(68, 1).toString('base64')}\n`,
      /malformed note: signature/,
    ],
    [
      'a signed text holding a carriage return',
      signNote(`${origin}\r\n0\n${root}\n`, signer),
      /malformed note: control character U\+000D/,
    ],
    [
      'a signed text holding another control character',
      signNote(`oracle\u0001.test/log\n0\n${root}\n`, signer),
      /malformed note: control character U\+0001/,
    ],
    [
      'a hundred and one signatures',
      `${good}${`${signature}\n`.repeat(100)}`,
      /malformed note: more than 100 signatures/,
    ],
  ])('given %s, then both agree, and ours says why it refuses', (_, note, expected) => {
    // when both readers open it with the trusted key
    const result = ours(note);
    const oracle = go.check({ key, checkpoint: note });

    // then they agree, and a refusal names what is malformed
    expect({ opens: result === 'opens' }).toEqual({ opens: oracle.ok });
    if (expected === 'opens') expect(result).toBe('opens');
    else expect(result).toMatch(expected);
  });
});

/**
 * The verifier key an auditor passes (--key), against note.NewVerifier. Found by probing: a key with
 * junk after its base64 was taken (Buffer.from decodes past it), and one whose hash is written in
 * capitals, which note.NewVerifier reads, was refused as malformed.
 */
describe('a verifier key: taken by our reader exactly when note.NewVerifier takes it', () => {
  const origin = 'oracle.test/log';
  const signer = parseSignerKey(generateSignerKey(origin));
  const note = signNote(
    formatCheckpoint({ origin, treeSize: 0, rootHash: foldSubtrees([]) }),
    signer,
  );
  // <name>+<8 hex digits>+<base64>
  const name = origin;
  const hash = signer.verifierKey.slice(origin.length + 1, origin.length + 9);
  const encoded = signer.verifierKey.slice(origin.length + 10);
  const go = buildGoChecker();
  afterAll(() => go.remove());

  it.each<[string, string, RegExp | 'opens']>([
    ['the key as published', `${name}+${hash}+${encoded}`, 'opens'],
    ['its hash in capitals', `${name}+${hash.toUpperCase()}+${encoded}`, 'opens'],
    ['junk after its base64', `${name}+${hash}+${encoded}!!`, /malformed verifier key/],
    ['padding after its base64', `${name}+${hash}+${encoded}==`, /malformed verifier key/],
    [
      'junk inside its base64',
      `${name}+${hash}+${encoded.slice(0, 5)}*${encoded.slice(5)}`,
      /malformed verifier key/,
    ],
  ])('given %s, then both agree', (_, key, expected) => {
    // when both readers open the checkpoint with that key
    let result: string;
    try {
      openNote(note, [parseVerifierKey(key)]);
      result = 'opens';
    } catch (error) {
      result = (error as Error).message;
    }
    const oracle = go.check({ key, checkpoint: note });

    // then they agree, and a refusal names the key
    expect({ opens: result === 'opens' }).toEqual({ opens: oracle.ok });
    if (expected === 'opens') expect(result).toBe('opens');
    else expect(result).toMatch(expected);
  });
});
