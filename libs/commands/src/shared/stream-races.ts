/** How long a stream lost to another process stays written under its lock. */
const raceMemoryMs = 30_000;

/**
 * Streams on which this process lost an append to another process lately. Optimistic appends suit a
 * stream one process writes (commands on it queue in this process, see KeyedMutex); two processes
 * writing one busy stream (a shared shift, with API_PROCESSES > 1) would keep overtaking each other
 * until a command gave up with 409. Such a stream is written under its transaction advisory lock for
 * a while: every process that lost a race on it waits its turn instead of retrying blindly.
 */
export class StreamRaces {
  private readonly until = new Map<string, number>();

  has(streamId: string): boolean {
    const until = this.until.get(streamId);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.until.delete(streamId);
    return false;
  }

  note(streamId: string): void {
    this.until.delete(streamId); // re-inserted last: the map's order is the eviction order
    this.until.set(streamId, Date.now() + raceMemoryMs);
    if (this.until.size > 10_000) this.until.delete(this.until.keys().next().value!);
  }
}
