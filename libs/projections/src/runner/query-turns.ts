/** A read waited longer than its limit for a turn to query the read models (503 with Retry-After). */
export class ReadsBusy extends Error {
  constructor(
    readonly max: number,
    readonly waitMs: number,
  ) {
    super(
      `every one of this server's ${max} read-model queries is in use, and this read waited ${waitMs / 1000} s for a turn`,
    );
    this.name = 'ReadsBusy';
  }
}

/**
 * At most `max` read-model queries run at once in a process; the others wait their turn, first come
 * first served, for `waitMs` at most, and then give up (ReadsBusy).
 *
 * Reads share the database pool with the projection runner and the audit log, and PostgreSQL shares
 * the machine's cores with the commands. Thirty-two viewers asking for distinct period boards over a
 * million events (0.2–0.3 s each; distinct, so no answer could be shared) held every connection and
 * both cores: a command took 0.7 to 3.7 s instead of 6 ms, and 3 s more to show on a board
 * (bench/RESULTS.md, hand notes). Past the cap, reads queue in the process, where waiting costs
 * nothing but a socket, instead of in PostgreSQL, where it costs everyone.
 */
export class QueryTurns {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    readonly max: number,
    readonly waitMs: number,
  ) {}

  async run<T>(query: () => Promise<T>): Promise<T> {
    await this.turn();
    try {
      return await query();
    } finally {
      // the turn passes to the first in line, else it is free again
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  private turn(): Promise<void> {
    if (this.running < this.max) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const start = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(start), 1);
        reject(new ReadsBusy(this.max, this.waitMs));
      }, this.waitMs);
      this.waiting.push(start);
    });
  }
}
