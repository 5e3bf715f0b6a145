import { Gauge, register, type Aggregator } from 'prom-client';
import type { ProjectionStatus } from './projection-status.js';

type StatusSource = () => Promise<ProjectionStatus[]>;
let source: StatusSource | undefined;
/**
 * The reading under way: both gauges of a scrape, and scrapes arriving together, share it. Each
 * gauge read the checkpoints and counted every lag on its own, for every scrape.
 */
let reading: Promise<ProjectionStatus[]> | undefined;
const statuses = (): Promise<ProjectionStatus[]> =>
  (reading ??= (source?.() ?? Promise.resolve([])).finally(() => (reading = undefined)));

function gauge(
  name: string,
  help: string,
  aggregator: Aggregator,
  pick: (status: ProjectionStatus) => number,
): void {
  if (register.getSingleMetric(name)) return;
  new Gauge({
    name,
    help,
    labelNames: ['projection', 'version', 'state'],
    aggregator,
    async collect() {
      this.reset();
      for (const status of await statuses().catch(() => [])) {
        this.set(
          { projection: status.name, version: String(status.version), state: status.state },
          pick(status),
        );
      }
    },
  });
}

/**
 * `projection_checkpoint` and `projection_lag_events` on /metrics, read from the checkpoints at scrape
 * time. Under API_PROCESSES every process reports them (the worker's runner, the others'
 * ProjectionsObserver), each from the same rows: the supervisor's gathering takes the latest reading
 * (the highest checkpoint, the lowest lag) where its default, a sum, doubled both.
 */
export function registerProjectionMetrics(statusSource: StatusSource): void {
  source = statusSource;
  gauge(
    'projection_checkpoint',
    'Global position up to which the projection slot has applied the log',
    'max',
    (s) => Number(s.checkpoint),
  );
  gauge(
    'projection_lag_events',
    'Events in the log not yet applied by the projection slot (capped at 10000)',
    'min',
    (s) => s.lag,
  );
}
