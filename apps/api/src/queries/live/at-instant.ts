import { defer, switchMap, timer, type Observable } from 'rxjs';

/** setTimeout waits at most 2^31 − 1 ms (24.8 days); asked for longer, it fires at once. */
const MAX_TIMEOUT = 2 ** 31 - 1;

/**
 * Emits once at `time` (epoch ms), however far away it is: rxjs' `timer` is a setTimeout, so a wall
 * screen's 90-day token would otherwise end its stream the moment it opened.
 */
export const atInstant = (time: number): Observable<unknown> =>
  defer(() => {
    const left = time - Date.now();
    return left > MAX_TIMEOUT
      ? timer(MAX_TIMEOUT).pipe(switchMap(() => atInstant(time)))
      : timer(Math.max(0, left));
  });
