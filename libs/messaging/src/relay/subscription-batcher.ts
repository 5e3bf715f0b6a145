import type { RecordedEvent, Subscription } from '#event-store';

const idle = Symbol('idle');

/**
 * Groups a subscription's events into batches: a batch starts with the next event (waiting as long as
 * the feed is quiet) and closes when it is full or when no further event comes within `lingerMs`.
 * While catching up the store hands events over faster than that, so batches come out full.
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
    const batch: RecordedEvent[] = [];
    const first = await this.pull(null);
    if (first === idle || first.done) {
      this.ended = true;
      return null;
    }
    batch.push(first.value);
    while (batch.length < this.batchSize) {
      const result = await this.pull(this.lingerMs);
      if (result === idle) break;
      if (result.done) {
        this.ended = true;
        break;
      }
      batch.push(result.value);
    }
    return batch;
  }

  private async pull(waitMs: number | null): Promise<IteratorResult<RecordedEvent> | typeof idle> {
    // A pull that timed out stays pending and is picked up by the next call: no event is lost.
    this.pending ??= this.iterator.next();
    let timer: NodeJS.Timeout | undefined;
    const result =
      waitMs === null
        ? await this.pending
        : await Promise.race([this.pending, new Promise<typeof idle>((done) => (timer = setTimeout(done, waitMs, idle)))]);
    clearTimeout(timer);
    if (result !== idle) this.pending = undefined;
    return result;
  }
}
