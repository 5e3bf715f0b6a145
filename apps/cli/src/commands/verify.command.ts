import { cliDatabaseLog } from '#platform';
import { openReadSide } from '#projections';
import { parseCommand, progressOnTerminal } from '../cli-args.js';
import { terminalText } from '../terminal-text.js';

export const usage = `usage: verify [--stream <id>]

  Recomputes every stream's hash chain (or one stream's) from the stored events; exits 1 naming each
  broken chain, or when the log (or the stream) holds no events; 0 when all are intact. Progress on a
  terminal.`;

/** Streams to check: the PostgreSQL adapter lists them from its table; otherwise a scan of the feed. */
async function allStreams(side: Awaited<ReturnType<typeof openReadSide>>): Promise<string[]> {
  try {
    const result = await side.pool.query<{ stream_id: string }>(
      'SELECT DISTINCT stream_id FROM events ORDER BY stream_id',
    );
    return result.rows.map((r) => r.stream_id);
  } catch {
    const streams = new Set<string>();
    let from: 'start' | bigint = 'start';
    for (;;) {
      const page = await side.store.readAll({ fromPosition: from, maxCount: 5_000 });
      for (const event of page) streams.add(event.streamId);
      if (page.length < 5_000) return [...streams].sort();
      from = page[page.length - 1]!.globalPosition;
    }
  }
}

/**
 * `verify [--stream <id>]`: recomputes hash chains; exit 1 when any chain is broken.
 * `verify log …` and `verify certificate …` are in their own files.
 */
export async function run(args: string[]): Promise<number> {
  if (args[0] === 'log') return (await import('./verify-log.command.js')).run(args.slice(1));
  if (args[0] === 'certificate')
    return (await import('./verify-certificate.command.js')).run(args.slice(1));
  const parsed = parseCommand('verify', usage, args, { stream: { type: 'string' } }, (p) =>
    p.positionals.length
      ? `unexpected argument ${p.positionals[0]}`
      : p.values.stream === '' // `--stream "$S"` with S unset checked every stream, and said so
        ? '--stream must name a stream (leave it out to check them all)'
        : undefined,
  );
  if (typeof parsed === 'number') return parsed;
  const only = parsed.values.stream;
  const side = await openReadSide(cliDatabaseLog, {
    existingOnly: true,
  });
  try {
    const streams = only ? [only] : await allStreams(side);
    if (streams.length === 0) {
      // Nothing checked is not "all intact": an auditor pointed at the wrong database must hear so.
      process.stderr.write(
        `verify: the log in ${side.where} holds no events: nothing to verify. Is DATABASE_URL ` +
          "(or DATA_DIR) the server's?\n",
      );
      return 1;
    }
    let broken = 0;
    let events = 0;
    const progress = progressOnTerminal();
    for (const [i, streamId] of streams.entries()) {
      if (progress && i % 100 === 0) progress(`\r${i}/${streams.length} streams`);
      const result = await side.store.verifyStream(streamId);
      events += result.events;
      if (only && result.events === 0) {
        process.stderr.write(`verify: stream ${terminalText(streamId)} has no events\n`);
        return 1;
      }
      if (!result.valid) {
        broken += 1;
        process.stdout.write(
          // a stream id is read from the database, which whoever broke the chain may have rewritten
          `BROKEN ${terminalText(streamId)}: first invalid version ${result.firstInvalidVersion ?? '?'}\n`,
        );
      } else if (only) {
        process.stdout.write(
          `OK ${terminalText(streamId)}: ${result.events} events, head hash ${result.headHash}\n`,
        );
      }
    }
    progress?.('\r');
    process.stdout.write(
      // `verify --stream` said "1 streams" every time
      `${streams.length} ${streams.length === 1 ? 'stream' : 'streams'}, ${events} events checked: ` +
        `${broken === 0 ? 'all hash chains intact' : `${broken} broken`}\n`,
    );
    return broken === 0 ? 0 : 1;
  } finally {
    await side.close();
  }
}
