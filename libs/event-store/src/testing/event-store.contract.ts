import { DuplicateEventId, WrongExpectedVersion, type EventStore } from '../event-store.port.js';
import { chainHash } from '../hash-chain.js';
import { events, newEvent, uniqueName } from './event-fixtures.js';
import { describeReadContract } from './read.contract.js';

export type StoreFactory = () => Promise<{ store: EventStore; cleanup: () => Promise<void> }>;

/**
 * The behaviour every adapter of the EventStore port must show (DESIGN.md "The event store"). Each test
 * works on streams of its own, so the suite also runs against a shared server.
 */
export function describeEventStoreContract(name: string, factory: StoreFactory): void {
  describe(`${name}: the event store contract`, () => {
    let store: EventStore;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ store, cleanup } = await factory());
    });
    afterAll(async () => {
      await cleanup?.();
    });
    const ctx = {
      get store() {
        return store;
      },
    };

    describe('appending with an expected version', () => {
      it('no_stream accepts a new stream, numbering its first event 0, and refuses an existing one', async () => {
        const stream = uniqueName('ev-');
        const first = await store.append(stream, events(2), { expectedVersion: 'no_stream' });
        expect(first.nextExpectedVersion).toBe(1n);
        expect(first.position).toBeGreaterThan(0n);
        await expect(
          store.append(stream, events(1), { expectedVersion: 'no_stream' }),
        ).rejects.toMatchObject({
          name: 'WrongExpectedVersion',
          streamId: stream,
          expected: 'no_stream',
          actual: 1n,
        });
      });

      it('stream_exists refuses a missing stream and accepts an existing one', async () => {
        const stream = uniqueName('ev-');
        const refused = store.append(stream, events(1), { expectedVersion: 'stream_exists' });
        await expect(refused).rejects.toBeInstanceOf(WrongExpectedVersion);
        await expect(refused).rejects.toMatchObject({ actual: 'no_stream' });
        await store.append(stream, events(1), { expectedVersion: 'no_stream' });
        const result = await store.append(stream, events(2), { expectedVersion: 'stream_exists' });
        expect(result.nextExpectedVersion).toBe(2n);
      });

      it('an exact version accepts only the version of the last event', async () => {
        const stream = uniqueName('ev-');
        await expect(
          store.append(stream, events(1), { expectedVersion: 0n }),
        ).rejects.toMatchObject({ actual: 'no_stream' });
        await store.append(stream, events(3), { expectedVersion: 'no_stream' });
        await expect(
          store.append(stream, events(1), { expectedVersion: 1n }),
        ).rejects.toMatchObject({ expected: 1n, actual: 2n });
        await expect(
          store.append(stream, events(1), { expectedVersion: 3n }),
        ).rejects.toBeInstanceOf(WrongExpectedVersion);
        const result = await store.append(stream, events(1), { expectedVersion: 2n });
        expect(result.nextExpectedVersion).toBe(3n);
        expect((await store.readStream(stream)).map((e) => e.streamVersion)).toEqual([
          0n,
          1n,
          2n,
          3n,
        ]);
      });

      it('any accepts a new and an existing stream', async () => {
        const stream = uniqueName('ev-');
        expect(
          (await store.append(stream, events(1), { expectedVersion: 'any' })).nextExpectedVersion,
        ).toBe(0n);
        expect(
          (await store.append(stream, events(2), { expectedVersion: 'any' })).nextExpectedVersion,
        ).toBe(2n);
      });

      it('positions grow with each append', async () => {
        const stream = uniqueName('ev-');
        const a = await store.append(stream, events(1), { expectedVersion: 'no_stream' });
        const b = await store.append(stream, events(1), { expectedVersion: 0n });
        expect(b.position).toBeGreaterThan(a.position);
      });
    });

    describe('idempotency', () => {
      it('re-appending the same event ids returns the first result and writes nothing', async () => {
        const stream = uniqueName('idem-');
        const batch = events(2);
        const first = await store.append(stream, batch, { expectedVersion: 'no_stream' });
        for (const expectedVersion of ['no_stream', 'any', 'stream_exists', 1n] as const) {
          await expect(store.append(stream, batch, { expectedVersion })).resolves.toEqual(first);
        }
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('the same id with other content is refused with DuplicateEventId', async () => {
        const stream = uniqueName('idem-');
        const original = newEvent('Tested', { n: 1 });
        await store.append(stream, [original], { expectedVersion: 'no_stream' });
        const altered = { ...original, data: { n: 2 } };
        await expect(
          store.append(stream, [altered], { expectedVersion: 'any' }),
        ).rejects.toBeInstanceOf(DuplicateEventId);
        await expect(
          store.append(stream, [altered], { expectedVersion: 0n }),
        ).rejects.toBeInstanceOf(DuplicateEventId);
        const stored = await store.readStream(stream);
        expect(stored.map((e) => e.data)).toEqual([{ n: 1 }]);
      });
    });

    describe('the hash chain', () => {
      it('links every event to the previous one with the hash computed outside the adapter', async () => {
        const stream = uniqueName('chain-');
        await store.append(stream, events(2), { expectedVersion: 'no_stream' });
        await store.append(stream, events(1), { expectedVersion: 1n });
        const stored = await store.readStream(stream);
        let previous: string | null = null;
        for (const event of stored) {
          expect(event.previousHash).toBe(previous);
          expect(event.hash).toBe(chainHash(previous, event));
          previous = event.hash;
        }
        await expect(store.verifyStream(stream)).resolves.toEqual({
          streamId: stream,
          valid: true,
          events: 3,
          headHash: previous,
        });
      });

      it('an unknown stream verifies as empty', async () => {
        const stream = uniqueName('chain-');
        await expect(store.verifyStream(stream)).resolves.toMatchObject({
          valid: true,
          events: 0,
          headHash: null,
        });
      });
    });

    describeReadContract(ctx);
  });
}
