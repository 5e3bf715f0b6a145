import { KeyedMutex } from './keyed-mutex.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('KeyedMutex', () => {
  it('runs tasks of one key one after the other, in arrival order, even when one fails', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const task =
      (name: string, ms: number, fail = false) =>
      async () => {
        log.push(`${name}:start`);
        await pause(ms);
        log.push(`${name}:end`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      mutex.run('k', task('a', 20, true)),
      mutex.run('k', task('b', 5)),
      mutex.run('k', task('c', 1)),
    ]);
    expect(log).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
  });

  it('lets tasks of different keys run side by side', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    await Promise.all(
      ['x', 'y'].map((key) =>
        mutex.run(key, async () => {
          log.push(`${key}:start`);
          await pause(10);
          log.push(`${key}:end`);
        }),
      ),
    );
    expect(log.slice(0, 2).sort()).toEqual(['x:start', 'y:start']);
  });
});
