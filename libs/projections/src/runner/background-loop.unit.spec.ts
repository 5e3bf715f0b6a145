import { BackgroundLoop } from './background-loop.js';

/**
 * The live path has no fixed sleep: news that something was appended ends the idle sleep, and news
 * that arrives while a pass is running (too late for its read) makes the next pass start at once.
 * Every loop here idles for a minute, far longer than the test may take: only a wake can move it on.
 */
describe('a background loop woken by news', () => {
  const idleMs = 60_000;

  /** A loop whose passes report "nothing to do" and can be watched and held from the test. */
  function watchedLoop(minIntervalMs?: number) {
    let passes = 0;
    const startedAt: number[] = [];
    let hold: Promise<void> | undefined;
    const waiters: { count: number; resolve: () => void }[] = [];
    const loop = new BackgroundLoop(
      'test loop',
      async () => {
        passes += 1;
        startedAt.push(performance.now());
        for (const waiter of waiters.filter((w) => passes >= w.count)) waiter.resolve();
        await hold;
        return false;
      },
      { idleMs, minIntervalMs },
    );
    return {
      loop,
      get passes() {
        return passes;
      },
      /** When each pass started (performance.now()). */
      startedAt,
      /** Resolves when the loop has started its `count`-th pass. */
      passStarted: (count: number) =>
        new Promise<void>((resolve) => {
          if (passes >= count) resolve();
          else waiters.push({ count, resolve });
        }),
      holdPasses(until: Promise<void>) {
        hold = until;
      },
    };
  }

  it('given a loop asleep after an idle pass, when it is woken, then the next pass starts at once', async () => {
    const watched = watchedLoop();
    watched.loop.start();
    await watched.passStarted(1);

    watched.loop.wake();

    await watched.passStarted(2);
    expect(watched.passes).toBe(2);
    await watched.loop.stop();
  });

  it('given a pass under way, when the loop is woken during it, then the following pass does not sleep', async () => {
    const watched = watchedLoop();
    let release!: () => void;
    watched.holdPasses(new Promise<void>((resolve) => (release = resolve)));
    watched.loop.start();
    await watched.passStarted(1);

    watched.loop.wake(); // during pass 1: its read may already have missed the news
    watched.holdPasses(Promise.resolve());
    release();

    await watched.passStarted(2);
    expect(watched.passes).toBe(2);
    await watched.loop.stop();
  });

  it('given an idle pass and no news, then the loop sleeps instead of passing again', async () => {
    const watched = watchedLoop();
    watched.loop.start();
    await watched.passStarted(1);

    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(watched.passes).toBe(1);
    await watched.loop.stop();
  });

  it('given passes spaced 150 ms, when news keeps coming, then one pass reads it all at the end of the spacing', async () => {
    // given: a first pass under way
    const watched = watchedLoop(150);
    watched.loop.start();
    await watched.passStarted(1);

    // when: news comes five times in the next 50 ms
    for (let i = 0; i < 5; i++) {
      watched.loop.wake();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await watched.passStarted(2);
    await new Promise((resolve) => setTimeout(resolve, 200));

    // then: one more pass, no sooner than 150 ms after the first began (timers may fire 1 ms early)
    expect(watched.passes).toBe(2);
    expect(watched.startedAt[1]! - watched.startedAt[0]!).toBeGreaterThanOrEqual(149);
    await watched.loop.stop();
  });

  it('given passes spaced 150 ms, when news comes after a quiet spell, then the pass starts at once', async () => {
    // given: a loop asleep for longer than the spacing since its last pass
    const watched = watchedLoop(150);
    watched.loop.start();
    await watched.passStarted(1);
    await new Promise((resolve) => setTimeout(resolve, 200));

    // when
    const wokenAt = performance.now();
    watched.loop.wake();
    await watched.passStarted(2);

    // then: no spacing was owed
    expect(watched.startedAt[1]! - wokenAt).toBeLessThan(100);
    await watched.loop.stop();
  });

  it('given passes spaced a minute apart, when the loop is stopped during the spacing, then it stops at once', async () => {
    const watched = watchedLoop(60_000);
    watched.loop.start();
    await watched.passStarted(1);
    watched.loop.wake();

    const stopping = performance.now();
    await watched.loop.stop();

    expect(performance.now() - stopping).toBeLessThan(1_000);
    expect(watched.passes).toBe(1);
  });

  it('given a database that keeps dropping connections, then the failure and the recovery are logged once, not per flap', async () => {
    // given: passes that fail and succeed in turn, four times over (each failure backs off 200 ms)
    const lines: string[] = [];
    let passes = 0;
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const loop = new BackgroundLoop(
      'flapping loop',
      async () => {
        passes += 1;
        if (passes === 9) done();
        if (passes % 2 === 1)
          throw new Error('terminating connection due to administrator command');
        return passes < 9;
      },
      { idleMs, log: (line) => lines.push(line) },
    );

    // when: it runs through them
    loop.start();
    await finished;
    await loop.stop();

    // then: the first failure and its recovery, nothing of the flaps that followed within 5 s
    expect(lines).toEqual([
      'flapping loop: terminating connection due to administrator command; retrying',
      'flapping loop resumed after 1 failed passes',
    ]);
  });
});
