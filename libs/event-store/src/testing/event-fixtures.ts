import { randomUUID } from 'node:crypto';
import type { NewEvent, RecordedEvent, Subscription } from '../event-store.port.js';

/** A unique name per test, so tests never see each other's streams, even on a shared server. */
export function uniqueName(prefix: string): string {
  return `${prefix}${randomUUID().slice(0, 8)}`;
}

export function newEvent(
  type: string,
  data: Record<string, unknown> = {},
  eventId: string = randomUUID(),
): NewEvent {
  return {
    eventId,
    type,
    schemaVersion: 1,
    data,
    metadata: {
      occurredAt: '2025-08-09T07:30:00+07:00',
      recordedAt: '2025-08-09T07:31:00+07:00',
      recordedBy: 'user-1',
      commandId: randomUUID(),
      correlationId: 'corr-1',
      causationId: null,
    },
  };
}

export function events(count: number, type = 'Tested'): NewEvent[] {
  return Array.from({ length: count }, (_, i) =>
    newEvent(type, { n: i, nested: { b: 2, a: [1, 'x'] } }),
  );
}

/** Pulls events from one subscription across several `take` calls, each with a deadline. */
export function subscriptionReader(subscription: Subscription) {
  const iterator = subscription[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<RecordedEvent>> | undefined;
  return {
    async take(count: number, timeoutMs = 15_000): Promise<RecordedEvent[]> {
      const taken: RecordedEvent[] = [];
      const deadline = Date.now() + timeoutMs;
      while (taken.length < count) {
        pending ??= iterator.next();
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()));
        });
        const next = await Promise.race([pending, timeout]);
        clearTimeout(timer);
        if (next === 'timeout')
          throw new Error(
            `subscription: got ${taken.length} of ${count} events before the deadline`,
          );
        pending = undefined;
        if (next.done)
          throw new Error(`subscription ended after ${taken.length} of ${count} events`);
        taken.push(next.value);
      }
      return taken;
    },
    /** Resolves to nothing if no event arrives within `ms`, else to the event that arrived. */
    async nothingFor(ms: number): Promise<RecordedEvent | undefined> {
      pending ??= iterator.next();
      const next = await raceTimer(pending, ms, 'quiet' as const);
      if (next === 'quiet') return undefined;
      pending = undefined;
      return next.done ? undefined : next.value;
    },
    async ended(timeoutMs = 5_000): Promise<boolean> {
      pending ??= iterator.next();
      const next = await raceTimer(pending, timeoutMs, 'timeout' as const);
      return next !== 'timeout' && next.done === true;
    },
  };
}

async function raceTimer<T, M>(promise: Promise<T>, ms: number, marker: M): Promise<T | M> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<M>((resolve) => {
    timer = setTimeout(() => resolve(marker), ms);
  });
  try {
    return await Promise.race([promise, elapsed]);
  } finally {
    clearTimeout(timer);
  }
}
