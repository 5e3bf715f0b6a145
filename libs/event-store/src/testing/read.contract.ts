import type { EventStore, RecordedEvent } from '../event-store.port.js';
import { events, newEvent, subscriptionReader, uniqueName } from './event-fixtures.js';

const versions = (list: readonly RecordedEvent[]) => list.map((e) => e.streamVersion);

/** Reading streams, the global feed and subscriptions; part of `describeEventStoreContract`. */
export function describeReadContract(ctx: { readonly store: EventStore }): void {
  describe('reading a stream', () => {
    let stream: string;
    beforeAll(async () => {
      stream = uniqueName('read-');
      await ctx.store.append(stream, events(5), { expectedVersion: 'no_stream' });
    });

    it('reads forwards from the start, from a version, and up to maxCount', async () => {
      expect(versions(await ctx.store.readStream(stream))).toEqual([0n, 1n, 2n, 3n, 4n]);
      expect(versions(await ctx.store.readStream(stream, { from: 2n }))).toEqual([2n, 3n, 4n]);
      expect(versions(await ctx.store.readStream(stream, { from: 1n, maxCount: 2 }))).toEqual([
        1n,
        2n,
      ]);
    });

    it('reads backwards from the end or from a version', async () => {
      expect(versions(await ctx.store.readStream(stream, { direction: 'backwards' }))).toEqual([
        4n,
        3n,
        2n,
        1n,
        0n,
      ]);
      expect(
        versions(
          await ctx.store.readStream(stream, { direction: 'backwards', from: 2n, maxCount: 2 }),
        ),
      ).toEqual([2n, 1n]);
    });

    it('returns the envelope as written', async () => {
      const [first] = await ctx.store.readStream(stream, { maxCount: 1 });
      expect(first).toMatchObject({
        streamId: stream,
        streamVersion: 0n,
        type: 'Tested',
        schemaVersion: 1,
        data: { n: 0, nested: { b: 2, a: [1, 'x'] } },
      });
      expect(first!.metadata).toMatchObject({ recordedBy: 'user-1', causationId: null });
      expect(first!.globalPosition).toBeGreaterThan(0n);
    });

    it('returns nothing for an unknown stream', async () => {
      await expect(ctx.store.readStream(uniqueName('missing-'))).resolves.toEqual([]);
    });
  });

  describe('reading the global feed', () => {
    it('returns events in position order, after fromPosition, filtered by prefix and type', async () => {
      // given two streams under one prefix, with two event types, and one stream outside it
      const prefix = uniqueName('all-');
      await ctx.store.append(`${prefix}-a`, [newEvent('Opened'), newEvent('Noted')], {
        expectedVersion: 'no_stream',
      });
      await ctx.store.append(uniqueName('other-'), [newEvent('Opened')], {
        expectedVersion: 'no_stream',
      });
      await ctx.store.append(`${prefix}-b`, [newEvent('Opened')], { expectedVersion: 'no_stream' });
      await ctx.store.append(`${prefix}-a`, [newEvent('Closed')], { expectedVersion: 1n });
      const filter = { streamPrefixes: [prefix] };

      // then
      const mine = await eventually(
        () => ctx.store.readAll({ filter }),
        (list) => list.length === 4,
      );
      expect(mine.map((e) => `${e.streamId.slice(prefix.length)}:${e.type}`)).toEqual([
        '-a:Opened',
        '-a:Noted',
        '-b:Opened',
        '-a:Closed',
      ]);
      const positions = mine.map((e) => e.globalPosition);
      expect([...positions].sort((x, y) => (x < y ? -1 : 1))).toEqual(positions);
      expect(new Set(positions).size).toBe(4);

      const after = await ctx.store.readAll({ filter, fromPosition: positions[1]! });
      expect(after.map((e) => e.globalPosition)).toEqual(positions.slice(2));
      const typed = await ctx.store.readAll({
        filter: { ...filter, eventTypes: ['Opened', 'Closed'] },
      });
      expect(typed.map((e) => e.type)).toEqual(['Opened', 'Opened', 'Closed']);
      expect(await ctx.store.readAll({ filter, maxCount: 2 })).toEqual(mine.slice(0, 2));
    });

    it('counts what a read of the feed would return, up to its maxCount', async () => {
      // given three events under a prefix, two of one type, and one outside it
      const prefix = uniqueName('count-');
      await ctx.store.append(`${prefix}-a`, [newEvent('Opened'), newEvent('Noted')], {
        expectedVersion: 'no_stream',
      });
      await ctx.store.append(uniqueName('other-'), [newEvent('Opened')], {
        expectedVersion: 'no_stream',
      });
      await ctx.store.append(`${prefix}-b`, [newEvent('Opened')], { expectedVersion: 'no_stream' });
      const filter = { streamPrefixes: [prefix] };
      const mine = await eventually(
        () => ctx.store.readAll({ filter }),
        (list) => list.length === 3,
      );

      // when the feed is counted with the options of a read, then the count is that read's length
      const reads = [
        { filter },
        { filter, fromPosition: mine[0]!.globalPosition },
        { filter, maxCount: 2 },
        { filter, maxCount: 0 },
        { filter: { ...filter, eventTypes: ['Opened'] } },
        { filter, fromPosition: mine[2]!.globalPosition },
      ];
      const counts = await Promise.all(reads.map((options) => ctx.store.countAll(options)));
      const lengths = await Promise.all(
        reads.map(async (options) => (await ctx.store.readAll(options)).length),
      );
      expect(counts).toEqual(lengths);
      expect(counts).toEqual([3, 2, 2, 0, 2, 0]);
    });

    it('reports a head position at or after the newest append', async () => {
      const appended = await ctx.store.append(uniqueName('head-'), events(1), {
        expectedVersion: 'no_stream',
      });
      const head = await eventually(
        () => ctx.store.headPosition(),
        (value) => value >= appended.position,
      );
      expect(head).toBeGreaterThanOrEqual(appended.position);
    });
  });

  describe('subscribing to the global feed', () => {
    it('catches up, then receives new events live, until closed', async () => {
      // given events already written
      const prefix = uniqueName('sub-');
      await ctx.store.append(`${prefix}-1`, events(3), { expectedVersion: 'no_stream' });
      const subscription = ctx.store.subscribeToAll({
        filter: { streamPrefixes: [prefix] },
        batchSize: 2,
      });
      const reader = subscriptionReader(subscription);
      try {
        // then it catches up
        expect(versions(await reader.take(3))).toEqual([0n, 1n, 2n]);
        // when more are written, then they arrive live, in order
        await ctx.store.append(`${prefix}-2`, events(2), { expectedVersion: 'no_stream' });
        await ctx.store.append(`${prefix}-1`, events(1), { expectedVersion: 2n });
        const live = await reader.take(3);
        expect(live.map((e) => `${e.streamId.slice(prefix.length)}@${e.streamVersion}`)).toEqual([
          '-2@0',
          '-2@1',
          '-1@3',
        ]);
      } finally {
        await subscription.close();
      }
      expect(await reader.ended()).toBe(true);
    });

    it('starts strictly after fromPosition and honours the event type filter', async () => {
      const prefix = uniqueName('subfrom-');
      const first = await ctx.store.append(`${prefix}-1`, [newEvent('Kept'), newEvent('Dropped')], {
        expectedVersion: 'no_stream',
      });
      await ctx.store.append(`${prefix}-1`, [newEvent('Kept', { n: 9 }), newEvent('Dropped')], {
        expectedVersion: first.nextExpectedVersion,
      });
      const subscription = ctx.store.subscribeToAll({
        fromPosition: first.position,
        filter: { streamPrefixes: [prefix], eventTypes: ['Kept'] },
      });
      const reader = subscriptionReader(subscription);
      try {
        const [received] = await reader.take(1);
        expect(received).toMatchObject({ type: 'Kept', data: { n: 9 }, streamVersion: 2n });
        expect(await reader.nothingFor(300)).toBeUndefined();
      } finally {
        await subscription.close();
      }
    });
  });
}

/** Retries a read until it satisfies `done` (the feed may lag a transaction elsewhere on the server). */
async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
