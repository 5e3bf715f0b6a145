/** The relay's status as `/health` shows it, and how a failure is described in it and in the log. */

/** The lag is counted in events up to this many: exact while small, "at least" beyond. */
export const lagCap = 10_000;

export type RelayStatus = Readonly<{
  healthy: boolean;
  /**
   * `publishing`; `degraded` from a failure until a batch is acknowledged again (broker or database
   * away, a batch refused) or while a batch waits for its acknowledgement too long; `standby` while
   * another relay of the same name publishes (a second worker on the database); `stopped`.
   */
  state: 'publishing' | 'degraded' | 'standby' | 'stopped';
  /** Events waiting to be published (the lag), as counted at the last check. */
  backlog: number | null;
  running: boolean;
  connected: boolean;
  checkpoint: string | null;
  head: string | null;
  /** Events after the checkpoint, counted up to `lagCap`. */
  lag: number | null;
  lagCapped: boolean;
  published: number;
  lastError: string | null;
  lastErrorAt: string | null;
  /** When the batch in flight was sent, once the broker has left it unacknowledged for `stallAfterMs`. */
  unacknowledgedSince: string | null;
}>;

/** What the relay knows of itself when asked; `relayStatus` turns it into the status. */
export type RelayState = Readonly<{
  running: boolean;
  /** Another relay of the same name holds the lease and publishes; this one waits to take over. */
  standingBy: boolean;
  connected: boolean;
  checkpoint: bigint | null;
  head: bigint | null;
  lag: number | null;
  published: number;
  lastError: Readonly<{ message: string; at: Date }> | null;
  /** When the batch in flight was handed to the producer (null when none is). */
  sendingSince: number | null;
  stallAfterMs: number;
}>;

export function relayStatus(state: RelayState, now = Date.now()): RelayStatus {
  const { running, connected, checkpoint, head, lag, lastError, sendingSince } = state;
  const stalled = sendingSince !== null && now - sendingSince > state.stallAfterMs;
  // Failing since the last acknowledged batch is degraded, even between retries that reconnect, and
  // so is a batch the broker has not acknowledged for a while (it may fail only minutes later).
  const publishing = running && connected && lastError === null && !stalled;
  // Standing by is healthy: the events are published by the relay that holds the lease.
  const standby = running && state.standingBy && lastError === null;
  return {
    healthy: publishing || standby,
    state: !running ? 'stopped' : standby ? 'standby' : publishing ? 'publishing' : 'degraded',
    backlog: lag,
    running,
    connected,
    checkpoint: checkpoint?.toString() ?? null,
    head: head?.toString() ?? null,
    lag,
    lagCapped: lag === lagCap,
    published: state.published,
    lastError: lastError?.message ?? null,
    lastErrorAt: lastError?.at.toISOString() ?? null,
    unacknowledgedSince: stalled ? new Date(sendingSince).toISOString() : null,
  };
}

/**
 * kafkajs wraps the last error of its own retries in KafkaJSNonRetriableError ("non-retriable" to its
 * retrier, not to us: the relay retries every failure) or KafkaJSNumberOfRetriesExceeded; the error
 * worth showing is the one inside.
 */
export function describeFailure(error: unknown): string {
  let root = error;
  while (
    root instanceof Error &&
    (root.name === 'KafkaJSNonRetriableError' || root.name === 'KafkaJSNumberOfRetriesExceeded') &&
    root.cause instanceof Error &&
    root.cause !== root
  )
    root = root.cause;
  return root instanceof Error ? `${root.name}: ${root.message}` : String(root);
}
