/**
 * A small read that every caller needs as of the moment it asks (which read-model slots are live,
 * how many subjects have been erased), shared between callers that ask at about the same time.
 *
 * Sharing must not hand anyone an older value than the one committed when they asked: a dashboard
 * read that starts after an erasure answered must see that erasure. So a caller never joins a read
 * already under way (it may have started before the caller asked). It waits for the next one, which
 * starts as soon as the current one ends and serves every caller that arrived meanwhile. Under load
 * that is one statement per round trip for all the callers, instead of one each.
 */
export class FreshRead<T> {
  private inFlight: Promise<T> | undefined;
  private next: Promise<T> | undefined;

  constructor(private readonly fetch: () => Promise<T>) {}

  read(): Promise<T> {
    if (this.inFlight === undefined) {
      const fetched = this.fetch();
      this.inFlight = fetched;
      // (registered first, so it runs before the next read starts)
      const clear = () => {
        if (this.inFlight === fetched) this.inFlight = undefined;
      };
      fetched.then(clear, clear);
      return fetched;
    }
    this.next ??= this.inFlight.then(
      () => this.startNext(),
      () => this.startNext(),
    );
    return this.next;
  }

  private startNext(): Promise<T> {
    this.next = undefined;
    return this.read();
  }
}
