import type pg from 'pg';
import type { EventStore } from '#event-store';
import { RelayCheckpointStore } from './relay-checkpoint.store.js';
import { lagCap } from './relay-status.js';

export type RelayObserverOptions = Readonly<{
  eventStore: EventStore;
  pool: pg.Pool;
  /** The relay's name (its checkpoint row and report), `kafka-relay` unless set. */
  name?: string;
  /** A report older than this is silence: no relay is running, or it cannot reach the database. */
  silentAfterMs?: number;
}>;

/**
 * The relay as a process that does not run it sees it (an API with RUN_WORKER=false beside
 * `apps/worker`, the second of API_PROCESSES): from what the publishing relay keeps in PostgreSQL,
 * its checkpoint and its report (`relay_reports`, written every 5 s and at each failure and
 * recovery), with the backlog counted here. Such a process said nothing of the relay: through a Kafka
 * outage, or with the worker killed, half of the probes of API_PROCESSES=2 and every probe of the API
 * apart read `ok`. Its state is the relay's own while the report is fresh; `unknown` once it is older
 * than `silentAfterMs` (15 s), and `stopped` when the relay's last word was that it stopped (a worker
 * shut down): either is unhealthy when events wait, as no relay is publishing them.
 */
export class RelayObserver {
  private readonly store: RelayCheckpointStore;
  private readonly silentAfterMs: number;

  constructor(private readonly options: RelayObserverOptions) {
    this.store = new RelayCheckpointStore(options.pool, this.name);
    this.silentAfterMs = options.silentAfterMs ?? 15_000;
  }

  get name(): string {
    return this.options.name ?? 'kafka-relay';
  }

  async status() {
    const [report, checkpoint, head] = await Promise.all([
      this.store.lastReport(),
      this.store.load(),
      this.options.eventStore.headPosition(),
    ]);
    const lag =
      checkpoint !== 'start' && checkpoint >= head
        ? 0
        : await this.options.eventStore.countAll({ fromPosition: checkpoint, maxCount: lagCap });
    // A relay that stopped on purpose said so last: that stays true however old the report grows.
    const stopped = report?.state === 'stopped';
    const silent = !stopped && (report === null || report.ageMs > this.silentAfterMs);
    const stalled = (silent || stopped) && lag > 0;
    const state = silent ? 'unknown' : report!.state;
    const heard = report ? `for ${Math.round(report.ageMs / 1000)} s` : 'yet';
    return {
      healthy: !stalled && (silent || stopped || report!.state === 'publishing'),
      enabled: true,
      reportedBy: 'the relay of another process (RUN_WORKER=false)',
      state,
      ...(stalled
        ? {
            error: stopped
              ? `the relay stopped at ${report.reportedAt} while events wait: is the worker running?`
              : `no relay has reported ${heard} while events wait: is the worker running?`,
          }
        : {}),
      reportedAt: report?.reportedAt ?? null,
      backlog: lag,
      checkpoint: checkpoint === 'start' ? null : checkpoint.toString(),
      head: head.toString(),
      lag,
      lagCapped: lag === lagCap,
      lastError: report?.lastError ?? null,
      lastErrorAt: report?.lastErrorAt ?? null,
      unacknowledgedSince: report?.unacknowledgedSince ?? null,
    };
  }
}
