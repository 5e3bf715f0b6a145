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
});

describe('keys whose base64 holds a "+"', () => {
  it('parse, since only the first two "+" separate name, hash and key', () => {
    for (let i = 0; i < 40; i++) {
      const signer = parseSignerKey(generateSignerKey('example.org/log'));
      expect(parseVerifierKey(signer.verifierKey).keyHash).toBe(signer.keyHash);
    }
  });
});
