import http from 'node:http';

/**
 * A dashboard on `/events/live`: one long GET whose server-sent events are noted with the time they
 * arrived. `closedAt` is set if the server ends the stream.
 */
export class LiveListener {
  readonly events: { type: string; id?: string; at: number }[] = [];
  closedAt: number | undefined;
  private readonly request: http.ClientRequest;

  constructor(baseUrl: string, token: string) {
    const url = new URL(`/events/live?access_token=${encodeURIComponent(token)}`, baseUrl);
    this.request = http.get(url, { headers: { accept: 'text/event-stream' } }, (response) => {
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          const type = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
          const id = /^id: (.*)$/m.exec(block)?.[1];
          this.events.push({ type, id, at: Date.now() });
          buffer = buffer.slice(end + 2);
        }
      });
      response.on('close', () => (this.closedAt ??= Date.now()));
    });
    this.request.on('error', () => (this.closedAt ??= Date.now()));
  }

  received(type: string, after = 0): number {
    return this.events.filter((e) => e.type === type && e.at > after).length;
  }

  close(): void {
    this.request.destroy();
  }
}
