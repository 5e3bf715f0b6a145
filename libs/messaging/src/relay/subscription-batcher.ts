import type { RecordedEvent, Subscription } from '#event-store';

const idle = Symbol('idle');

/**
 * Groups a subscription's events into batches: a batch starts with the next event (waiting as long as
 * the feed is quiet) and closes when it is full or `lingerMs` after its first event. While catching up
 * the store hands over a page at a time (as many events as a batch) in one burst, so batches come out
 * full; live, an event waits at most `lingerMs` for company. One timer per batch, not per event.
 */
export class SubscriptionBatcher {
  private readonly iterator: AsyncIterator<RecordedEvent>;
  private pending: Promise<IteratorResult<RecordedEvent>> | undefined;
  private ended = false;

  constructor(
    subscription: Subscription,
    private readonly batchSize: number,
    private readonly lingerMs: number,
  ) {
    this.iterator = subscription[Symbol.asyncIterator]();
  }

  /** The next batch, or null once the subscription has ended (closed). */
  async next(): Promise<RecordedEvent[] | null> {
    if (this.ended) return null;
    const first = await this.pull(null);
    if (first === idle || first.done) {
      this.ended = true;
      return null;
    }
    const batch: RecordedEvent[] = [first.value];
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<typeof idle>(
      (done) => (timer = setTimeout(done, this.lingerMs, idle)),
    );
    try {
      while (batch.length < this.batchSize) {
        const result = await this.pull(deadline);
        if (result === idle) break;
        if (result.done) {
          this.ended = true;
          break;
        }
        batch.push(result.value);
      }
    } finally {
      clearTimeout(timer);
    }
    return batch;
  }

  private async pull(
    deadline: Promise<typeof idle> | null,
  ): Promise<IteratorResult<RecordedEvent> | typeof idle> {
    // A pull that hit the deadline stays pending and is picked up by the next call: no event is lost.
    this.pending ??= this.iterator.next();
    const result =
      deadline === null ? await this.pending : await Promise.race([this.pending, deadline]);
    if (result !== idle) this.pending = undefined;
    return result;
  }
}
