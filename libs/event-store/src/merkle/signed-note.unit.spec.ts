import {
  formatCheckpoint,
  generateSignerKey,
  openNote,
  parseCheckpoint,
  parseSignerKey,
  parseVerifierKey,
  signNote,
} from './signed-note.js';

describe('signed notes (golang.org/x/mod/sumdb/note, Ed25519)', () => {
  const signer = parseSignerKey(generateSignerKey('example.org/log'));
  const verifier = parseVerifierKey(signer.verifierKey);
  const text = formatCheckpoint({
    origin: 'example.org/log',
    treeSize: 42,
    rootHash: Buffer.alloc(32, 9),
  });

  it('writes keys in the note formats, the hash binding name and key', () => {
    expect(generateSignerKey('a.b/c')).toMatch(
      /^PRIVATE\+KEY\+a\.b\/c\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*$/,
    );
    expect(signer.verifierKey).toMatch(/^example\.org\/log\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
    const [, name, hash, key] = /^([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(signer.verifierKey)!;
    expect(() => parseVerifierKey(`other.org/log+${hash}+${key}`)).toThrow(/hash does not match/);
    expect(name).toBe('example.org/log');
  });

  it('signs a checkpoint that opens with the signer’s verifier key', () => {
    const note = signNote(text, signer);
    expect(note).toMatch(
      /^example\.org\/log\n42\n[A-Za-z0-9+/]{43}=\n\n\u2014 example\.org\/log \S+\n$/u,
    );
    expect(openNote(note, [verifier])).toBe(text);
    expect(parseCheckpoint(openNote(note, [verifier]))).toEqual({
      origin: 'example.org/log',
      treeSize: 42,
      rootHash: Buffer.alloc(32, 9),
    });
  });

  it('refuses a note whose text changed, or that no trusted key signed', () => {
    const note = signNote(text, signer);
    expect(() => openNote(note.replace('\n42\n', '\n43\n'), [verifier])).toThrow(
      /invalid signature/,
    );
    const stranger = parseSignerKey(generateSignerKey('example.org/log'));
    expect(() => openNote(note, [parseVerifierKey(stranger.verifierKey)])).toThrow(
      /no signature by a trusted key/,
    );
    expect(() => openNote(text, [verifier])).toThrow(/malformed/);
  });

  // Found by probing `verify log`: a signed size of 9007199254740993 was read as …992, and the
  // failure then named a size the checkpoint does not hold.
  it('refuses a tree size it cannot hold exactly, and reads the largest one it can', () => {
    // given checkpoint texts of sizes 2^53 - 1 and 2^53 + 1
    const of = (size: string) => text.replace('\n42\n', `\n${size}\n`);

    // when they are parsed, then the first is read as written and the second refused
    expect(parseCheckpoint(of('9007199254740991')).treeSize).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => parseCheckpoint(of('9007199254740993'))).toThrow(/beyond 2\^53/);
  });
});

describe('keys whose base64 holds a "+"', () => {
  it('parse, since only the first two "+" separate name, hash and key', () => {
    for (let i = 0; i < 40; i++) {
      const signer = parseSignerKey(generateSignerKey('example.org/log'));
      expect(parseVerifierKey(signer.verifierKey).keyHash).toBe(signer.keyHash);
    }
  });
});
