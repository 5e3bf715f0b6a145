import { bodyHash, canonicalJson, commandKey, eventIdFor, uuidFromName } from './command-id.js';

describe('command and event ids', () => {
  it('hashes equal bodies equally, whatever the key order, and undefined members away', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"x":1,"y":2}]},"b":1}',
    );
    expect(bodyHash({ a: 1, b: 'x' })).toBe(bodyHash({ b: 'x', a: 1 }));
    expect(bodyHash({ a: 1 })).not.toBe(bodyHash({ a: 2 }));
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
