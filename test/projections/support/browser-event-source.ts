/**
 * The browser's EventSource for a page run in jsdom (which has none): a GET with `Accept:
 * text/event-stream` whose body is parsed into `event:` / `data:` messages (HTML "server-sent events"),
 * dispatched to the listeners of their event type. No reconnection: a test's stream lives as long as it.
 */
export function browserEventSource(base: string) {
  return class EventSource {
    private readonly listeners = new Map<
      string,
      ((message: { data: string; lastEventId: string }) => void)[]
    >();
    private readonly abort = new AbortController();

    constructor(url: string) {
      void this.read(new URL(url, base)).catch(() => undefined);
    }

    addEventListener(
      type: string,
      listener: (message: { data: string; lastEventId: string }) => void,
    ): void {
      this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
    }

    close(): void {
      this.abort.abort();
    }

    private async read(url: URL): Promise<void> {
      const response = await fetch(url, {
        headers: { accept: 'text/event-stream' },
        signal: this.abort.signal,
      });
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of response.body!) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    }

    private dispatch(block: string): void {
      let type = 'message';
      let id = '';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        const [field, ...rest] = line.split(':');
        const value = rest.join(':').replace(/^ /, '');
        if (field === 'event') type = value;
        else if (field === 'data') data.push(value);
        else if (field === 'id') id = value;
      }
      for (const listener of this.listeners.get(type) ?? [])
        listener({ data: data.join('\n'), lastEventId: id });
    }
  };
}
