import { Counter, Gauge, register } from 'prom-client';

/**
 * The relay's series in prom-client's default registry (what `/metrics` serves). Several relays in one
 * process (tests) share the series and are told apart by the `relay` label; `getSingleMetric` keeps a
 * second relay from registering the same name twice.
 */
function counter(name: string, help: string): Counter<'relay' | 'topic'> {
  return (
    (register.getSingleMetric(name) as Counter<'relay' | 'topic'> | undefined) ??
    new Counter({ name, help, labelNames: ['relay', 'topic'] })
  );
}

function gauge(name: string, help: string): Gauge<'relay'> {
  return (
    (register.getSingleMetric(name) as Gauge<'relay'> | undefined) ??
    new Gauge({ name, help, labelNames: ['relay'] })
  );
}

export class RelayMetrics {
  private readonly published = counter(
    'relay_published_total',
    'Events published to Kafka and acknowledged by the broker',
  );
  private readonly lag = gauge(
    'relay_lag_events',
    'Events in the store after the relay checkpoint (counted up to 10000)',
  );
  private readonly checkpoint = gauge(
    'relay_checkpoint',
    'Global position of the last event acknowledged by Kafka',
  );
  private readonly failures = counter(
    'relay_publish_failures_total',
    'Failed attempts to publish a batch (retried)',
  );

  constructor(private readonly relay: string) {}

  recordPublished(perTopic: ReadonlyMap<string, number>): void {
    for (const [topic, count] of perTopic) this.published.inc({ relay: this.relay, topic }, count);
  }

  recordFailure(): void {
    this.failures.inc({ relay: this.relay, topic: '' });
  }

  recordCheckpoint(checkpoint: bigint): void {
    this.checkpoint.set({ relay: this.relay }, Number(checkpoint));
  }

  recordLag(lag: number): void {
    this.lag.set({ relay: this.relay }, lag);
  }
}
