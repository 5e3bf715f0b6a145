import { START, type AllStreamSubscription, type EventStoreDBClient } from '@eventstore/db-client';
import type { RecordedEvent, SubscribeOptions, Subscription } from '../event-store.port.js';
import {
  matchesFilter,
  positionOf,
  readPositionAfter,
  serverFilter,
  toRecordedEvent,
} from './eventstoredb-mapping.js';

/**
 * subscribeToAll as the port's Subscription: EventStoreDB's catch-up subscription already reads the
 * history and then goes live; here the filter is applied fully and positions are made exclusive.
 */
export class EventStoreDbSubscription implements Subscription {
  private readonly subscription: AllStreamSubscription;
  private readonly after: bigint;
  private iterating = false;

  constructor(
    client: EventStoreDBClient,
    private readonly options: SubscribeOptions,
  ) {
    this.after =
      options.fromPosition === undefined || options.fromPosition === 'start'
        ? -1n
        : options.fromPosition;
    this.subscription = client.subscribeToAll({
      fromPosition: this.after < 0n ? START : readPositionAfter(this.after),
      filter: serverFilter(options.filter),
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    if (this.iterating) throw new Error('a subscription can be iterated only once');
    this.iterating = true;
    return this.run();
  }

  private async *run(): AsyncGenerator<RecordedEvent> {
    try {
      for await (const resolved of this.subscription) {
        if (positionOf(resolved) <= this.after) continue;
        const event = toRecordedEvent(resolved);
        if (event && matchesFilter(event, this.options.filter)) yield event;
      }
    } finally {
      await this.subscription.unsubscribe().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.subscription.unsubscribe();
  }
}
