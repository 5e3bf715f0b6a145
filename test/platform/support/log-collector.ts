import { Writable } from 'node:stream';

/**
 * What the app writes to its standard output, as a log collector reads it: `chunks` as written (join
 * them for the whole text), `lines()` the non-empty lines of that text. Pass `stream` to createLogger.
 */
export function logCollector() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return { stream, chunks, lines: () => chunks.join('').split('\n').filter(Boolean) };
}
