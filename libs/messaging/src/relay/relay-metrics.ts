import { Counter, Gauge, register, type Aggregator } from 'prom-client';

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

/**
 * Under API_PROCESSES the relay's process and the others (`RelayObserver`, from the same rows) both
 * report the gauges: the supervisor's gathering takes the latest reading (`aggregator`), as for the
 * projections' gauges, where a sum doubled them.
 */
const gauges = {
  relay_lag_events: {
    help: 'Events in the store after the relay checkpoint (counted up to 10000)',
    aggregator: 'min',
  },
  relay_checkpoint: {
    help: 'Global position of the last event acknowledged by Kafka',
    aggregator: 'max',
  },
} as const satisfies Record<string, { help: string; aggregator: Aggregator }>;

function gauge(name: keyof typeof gauges): Gauge<'relay'> {
  return (
    (register.getSingleMetric(name) as Gauge<'relay'> | undefined) ??
    new Gauge({ name, ...gauges[name], labelNames: ['relay'] })
  );
}

/**
 * `relay_lag_events` and `relay_checkpoint` in a process that does not run the relay (an API with
 * RUN_WORKER=false), read at each scrape: the worker apart has no /metrics, so an alert on the
 * backlog saw nothing in a split deployment. Not where the relay's own gauges exist (one process).
 */
export function registerObservedRelayMetrics(
  relay: string,
  read: () => Promise<{ checkpoint: string | null; lag: number }>,
): void {
  const pick = { relay_lag_events: 'lag', relay_checkpoint: 'checkpoint' } as const;
  for (const name of Object.keys(gauges) as (keyof typeof gauges)[]) {
    if (register.getSingleMetric(name)) continue;
    new Gauge({
      name,
      ...gauges[name],
      labelNames: ['relay'],
      async collect() {
        this.reset();
        const status = await read().catch(() => undefined);
        const value = status?.[pick[name]];
        if (value !== undefined && value !== null) this.set({ relay }, Number(value));
      },
    });
  }
}

export class RelayMetrics {
  private readonly published = counter(
    'relay_published_total',
    'Events published to Kafka and acknowledged by the broker',
  );
  private readonly lag = gauge('relay_lag_events');
  private readonly checkpoint = gauge('relay_checkpoint');
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
