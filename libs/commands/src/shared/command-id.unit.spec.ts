import { createHash } from 'node:crypto';
import { canonicalJson } from '#event-store';
import { bodyHash, commandKey, eventIdFor, keyedDigest, uuidFromName } from './command-id.js';

describe('command and event ids', () => {
  it('hashes equal bodies equally, whatever the key order, and undefined members away', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"x":1,"y":2}]},"b":1}',
    );
    const key = Buffer.alloc(32, 7);
    expect(bodyHash({ a: 1, b: 'x' }, key)).toBe(bodyHash({ b: 'x', a: 1 }, key));
    expect(bodyHash({ a: 1 }, key)).not.toBe(bodyHash({ a: 2 }, key));
  });

  it('keeps the hashes the idempotency log stored before: a resend of an old command is no new body', () => {
    // given a body of every JSON shape, hashed by the release that wrote the log rows now stored
    const body = {
      shiftId: 's-1',
      id: 'a-1',
      serviceType: 'eid_activation',
      citizens: 2,
      occurredAt: '2025-08-10T09:30:00+07:00',
      citizenRef: null,
      tags: ['b', 'a', { z: 1, y: [true, null] }],
      note: undefined,
      name: 'Nguyễn Thị Mai \u{1F600}',
    };
    const stored = 'k1:c4ed4e52366efd29087e7760a2f7ae821929511113a2bdc9caa0c3af8190f2da';
    // then today's hash of it is the same
    expect(bodyHash(body, Buffer.alloc(32, 1))).toBe(stored);
  });

  it('keys the body hash: another key, another hash, and neither is the plain SHA-256', () => {
    const body = { displayName: 'Nguyễn Thị Mai' };
    const plain = createHash('sha256').update(canonicalJson(body)).digest('hex');
    const one = bodyHash(body, Buffer.alloc(32, 1));
    expect(one).not.toContain(plain);
    expect(one).not.toBe(bodyHash(body, Buffer.alloc(32, 2)));
    // a legacy row (the plain SHA-256) converts to what the keyed hash of its body is
    expect(keyedDigest(plain, Buffer.alloc(32, 1))).toBe(one);
  });

  it('derives the same event ids from the same command, and others from another route or index', () => {
    const key = commandKey('POST /shifts', 's-1');
    expect(eventIdFor(key, 0)).toBe(eventIdFor(key, 0));
    expect(eventIdFor(key, 1)).not.toBe(eventIdFor(key, 0));
    expect(eventIdFor(commandKey('POST /units', 's-1'), 0)).not.toBe(eventIdFor(key, 0));
  });

  it('shapes derived ids as RFC 9562 version 8 UUIDs', () => {
    expect(uuidFromName('anything')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
