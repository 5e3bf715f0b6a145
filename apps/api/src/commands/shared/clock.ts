/**
 * Deciders take `now` as an argument; the command side reads it from this provider so that a seed or a
 * test can record facts "days later" (a late recording) without touching the system clock.
 */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = { now: () => new Date() };

/** A clock the caller moves by hand (the seed scenario uses it to replay late recordings). */
export class SettableClock implements Clock {
  constructor(private current: Date = new Date()) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(instant: Date | string): void {
    this.current = new Date(instant);
  }
}
