import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalEncoding, canonicalJson, chainBatch, chainHash } from './hash-chain.js';
import { newEvent } from './testing/event-fixtures.js';

describe('the hash chain', () => {
  it('encodes objects with sorted keys at every depth, so stored JSON key order does not matter', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[2,{"y":null,"z":1}]},"b":1}',
    );
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });

  it('chains each event to the previous hash, from the stream head', () => {
    const [first, second] = [newEvent('A', { n: 1 }), newEvent('B', { n: 2 })];
    const links = chainBatch('s-1', -1n, null, [first!, second!]);
    expect(links.map((l) => l.streamVersion)).toEqual([0n, 1n]);
    expect(links[0]).toMatchObject({
      previousHash: null,
      hash: chainHash(null, { ...first!, streamId: 's-1', streamVersion: 0n }),
    });
    expect(links[1]!.previousHash).toBe(links[0]!.hash);
    expect(links[1]!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes when any chained field changes, but not with the global position', () => {
    const event = { ...newEvent('A', { n: 1 }), streamId: 's-1', streamVersion: 3n };
    const base = chainHash('p', event);
    const variants = [
      chainHash('q', event),
      chainHash('p', { ...event, streamId: 's-2' }),
      chainHash('p', { ...event, streamVersion: 4n }),
      chainHash('p', { ...event, eventId: 'other' }),
      chainHash('p', { ...event, type: 'B' }),
      chainHash('p', { ...event, schemaVersion: 2 }),
      chainHash('p', { ...event, data: { n: 2 } }),
      chainHash('p', { ...event, metadata: { ...event.metadata, recordedBy: 'x' } }),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
    expect(chainHash('p', { ...event, globalPosition: 99n } as typeof event)).toBe(base);
  });

  it('equals a plain reference encoding (JSON.parse round trip, then sorted keys) for any JSON-like value', () => {
    // The reference: let JSON.stringify apply its rules (toJSON, undefined), then sort keys while writing.
    const sorted = (v: unknown): string =>
      Array.isArray(v)
        ? `[${v.map(sorted).join(',')}]`
        : v !== null && typeof v === 'object'
          ? `{${Object.keys(v)
              .sort()
              .map((k) => `${JSON.stringify(k)}:${sorted((v as Record<string, unknown>)[k])}`)
              .join(',')}}`
          : JSON.stringify(v);
    const reference = (v: unknown) => sorted(JSON.parse(JSON.stringify(v) ?? 'null'));
    const values = fc.anything({
      values: [fc.jsonValue(), fc.constant(undefined), fc.date({ noInvalidDate: true })],
    });
    fc.assert(
      fc.property(values, (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 500 },
    );
  });

  it('hashes the previous hash, a newline and the canonical encoding with SHA-256', () => {
    const event = { ...newEvent('A', { z: 1, a: 2 }), streamId: 's-1', streamVersion: 0n };
    const expected = createHash('sha256')
      .update('prev')
      .update('\n')
      .update(canonicalEncoding(event))
      .digest('hex');
    expect(chainHash('prev', event)).toBe(expected);
    expect(canonicalEncoding(event).startsWith('{"data":{"a":2,"z":1},"eventId":')).toBe(true);
  });
});
