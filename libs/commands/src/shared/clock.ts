/**
 * Deciders take `now` as an argument; the command side reads it from this provider so that a seed or a
 * test can record facts "days later" (a late recording) without touching the system clock.
 */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');

/** The system clock, unless a caller (the seed) pins it to an instant with `set`. */
export class ControllableClock implements Clock {
  private pinned: Date | null = null;
  now(): Date {
    return this.pinned ? new Date(this.pinned.getTime()) : new Date();
  }
  set(instant: Date | string): void {
    this.pinned = new Date(instant);
  }
  release(): void {
    this.pinned = null;
  }
}
