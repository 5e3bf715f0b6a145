import { isConnectionFailure } from '#event-store';

/**
 * A pass run again and again until stopped, as the projection runner and the audit log run theirs.
 * After a pass with nothing to do it sleeps `idleMs`, or until `wake()`: a wake that comes while a pass
 * runs is kept, and the next pass starts at once (the news may have come too late for the pass under
 * way). After a failure it backs off, capped at 2 s so
 * that work resumes within seconds of the database's return. It logs the first failure and the
 * recovery, not every retry: while the database is away every pass fails, with a message that changes
 * as the server shuts down, refuses and starts (the outage itself is logged by the platform); a
 * different failure of another kind still gets its own line. A failure within 5 s of a recovery is
 * logged only if it lasts 5 s, with its recovery: a flapping database gives two lines, not two per flap.
 *
 * `minIntervalMs` spaces the passes' starts. A pass costs a few statements whatever it finds, and a
 * process with nothing else to do (the worker apart from the API) is woken by every append: under a
 * steady stream of commands it ran one pass per few events, six times as many passes as the same
 * worker inside a busy API, and cost PostgreSQL twice the CPU per command (bench/RESULTS.md). Spaced,
 * the news of an interval is read in one pass; an event waits at most the interval more, and an event
 * after a quiet spell none. A pass that took longer than the interval (a catch-up) is followed at once.
 */
/** A failure this soon after a recovery is not logged, unless it lasts this long. */
const flappingMs = 5_000;

export class BackgroundLoop {
  /** The last pass's failure, until a pass succeeds (health reports it). */
  lastError: string | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;
  private woken = false;
  private wakeSleeper: (() => void) | undefined;

  constructor(
    private readonly name: string,
    /** One pass; true when it did work and another should follow at once. */
    private readonly pass: () => Promise<boolean>,
    private readonly options: Readonly<{
      idleMs: number;
      minIntervalMs?: number;
      log?: (line: string) => void;
    }>,
  ) {}

  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = this.loop();
  }

  /** Ends the idle sleep now, or skips the next one when a pass is under way. */
  wake(): void {
    this.woken = true;
    this.wakeSleeper?.();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.running;
    this.running = undefined;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    let failingSince = 0;
    let resumedAt = -Infinity;
    // A failure soon after a logged recovery is the same trouble flapping (a database that keeps
    // dropping connections, while appends keep waking the loop): said once it has lasted a while.
    let quiet = false;
    let passStartedAt = -Infinity;
    const spacingLeft = () => passStartedAt + (this.options.minIntervalMs ?? 0) - performance.now();
    while (!this.stopping) {
      // A timer may fire a little early (Node counts from the time its loop turn began): the spacing
      // is measured on the monotonic clock, and slept again until it has passed.
      while (!this.stopping && spacingLeft() > 0) await this.sleep(spacingLeft(), false);
      if (this.stopping) break;
      passStartedAt = performance.now();
      let busy = false;
      this.woken = false;
      try {
        busy = await this.pass();
        if (failures > 0 && !quiet) {
          this.options.log?.(`${this.name} resumed after ${failures} failed passes`);
          resumedAt = Date.now();
        }
        failures = 0;
        quiet = false;
        this.lastError = undefined;
      } catch (error) {
        failures += 1;
        const message = (error as Error).message;
        if (failures === 1) {
          failingSince = Date.now();
          quiet = failingSince - resumedAt < flappingMs;
          if (!quiet) this.options.log?.(`${this.name}: ${message}; retrying`);
        } else if (quiet && Date.now() - failingSince >= flappingMs) {
          quiet = false;
          this.options.log?.(`${this.name}: ${message}; retrying since ${failures} passes`);
        } else if (!quiet && message !== this.lastError && !isConnectionFailure(error))
          this.options.log?.(`${this.name}: ${message}; retrying`);
        this.lastError = message;
      }
      if (failures > 0) await this.sleep(Math.min(2_000, 100 * 2 ** failures), false);
      else if (!busy) await this.sleep(this.options.idleMs, true);
    }
  }

  /** A wake ends an idle sleep; a back-off after a failure, or the spacing, ends early only to stop. */
  private sleep(ms: number, wakeable: boolean): Promise<void> {
    if (this.stopping || (wakeable && this.woken)) return Promise.resolve();
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const done = () => {
        clearTimeout(timer);
        this.wakeSleeper = undefined;
        resolve();
      };
      timer = setTimeout(done, ms);
      this.wakeSleeper = () => {
        if (wakeable || this.stopping) done();
      };
    });
  }
}
