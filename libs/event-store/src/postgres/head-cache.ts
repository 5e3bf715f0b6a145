/** Version and hash of a stream's last event. */
export type StreamHead = Readonly<{ version: bigint; hash: string }>;

/**
 * Heads of streams this process appended to or read, so that an append with the expected version it
 * last saw needs one round trip (the INSERT) instead of two. A stored event never changes, so a cached
 * (version, hash) pair stays true; a cached head that is no longer the newest makes the INSERT hit the
 * unique (stream, version) key, which is how every conflict is detected anyway.
 */
export class HeadCache {
  private readonly heads = new Map<string, StreamHead>();

  constructor(private readonly capacity = 50_000) {}

  get(streamId: string): StreamHead | undefined {
    return this.heads.get(streamId);
  }

  set(streamId: string, head: StreamHead): void {
    this.heads.delete(streamId);
    this.heads.set(streamId, head);
    if (this.heads.size > this.capacity) {
      const oldest = this.heads.keys().next().value;
      if (oldest !== undefined) this.heads.delete(oldest);
    }
  }

  forget(streamId: string): void {
    this.heads.delete(streamId);
  }
}
