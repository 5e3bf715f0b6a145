import { FreshRead } from './fresh-read.js';

/** A fetch that answers when told to, numbering its reads from 1. */
function controlledFetch() {
  const pending: (() => void)[] = [];
  let started = 0;
  const fetch = () => {
    const n = ++started;
    return new Promise<number>((resolve) => pending.push(() => resolve(n)));
  };
  return {
    fetch,
    started: () => started,
    finishNext: async () => {
      pending.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

describe('FreshRead', () => {
  it('never hands a caller a read that began before it asked, and serves every late caller with one next read', async () => {
    // given a read under way
    const source = controlledFetch();
    const fresh = new FreshRead(source.fetch);
    const first = fresh.read();

    // when three callers ask while it is under way
    const late = [fresh.read(), fresh.read(), fresh.read()];

    // then the first read serves only its caller, and one next read, started after it, serves the rest
    await source.finishNext();
    await expect(first).resolves.toBe(1);
    expect(source.started()).toBe(2);
    await source.finishNext();
    await expect(Promise.all(late)).resolves.toEqual([2, 2, 2]);

    // and a caller asking once nothing is under way starts a read of its own
    const alone = fresh.read();
    expect(source.started()).toBe(3);
    await source.finishNext();
    await expect(alone).resolves.toBe(3);
  });

  it('lets the callers waiting for the next read have it even when the current one fails', async () => {
    // given a read that will fail, and a caller waiting behind it
    let calls = 0;
    const fresh = new FreshRead(async () => {
      calls++;
      if (calls === 1) throw new Error('connection lost');
      return calls;
    });
    const failing = fresh.read();
    const waiting = fresh.read();

    // then the failure reaches its own caller only, and the next read answers the other
    await expect(failing).rejects.toThrow('connection lost');
    await expect(waiting).resolves.toBe(2);
  });
});
