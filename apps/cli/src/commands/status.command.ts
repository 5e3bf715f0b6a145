import { cliDatabaseLog } from '#platform';
import { RelayObserver } from '#messaging';
import { openReadSide, projectionStatus, type ReadSide } from '#projections';
import { parseCommand } from '../cli-args.js';
import { terminalText } from '../terminal-text.js';

export const usage = `usage: status

  Each projection's version, generation, state, checkpoint and lag (in events), and the Kafka relay's
  last report (state, backlog, last error), from the shared database: what /health reports.`;

/**
 * `status`: each projection slot's checkpoint and lag (in events), and the Kafka relay as the relay
 * last reported itself (relay_reports), read from the shared database.
 */
export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand('status', usage, args, {}, ({ positionals }) =>
    positionals.length ? `unexpected argument ${positionals[0]}` : undefined,
  );
  if (typeof parsed === 'number') return parsed;
  const side = await openReadSide(cliDatabaseLog, {
    existingOnly: true,
  });
  try {
    const slots = await projectionStatus(side.pool, side.store);
    const head = slots[0]?.head ?? (await side.store.headPosition()).toString();
    // The version and the generation (the rebuilds of that version) apart, as /health and
    // /admin/projections give them: `v12.3` read as a release 12.3.
    const rows = [
      ['projection', 'version', 'generation', 'state', 'checkpoint', 'lag'],
      ...slots.map((s) => [
        s.name,
        String(s.version),
        String(s.generation),
        s.state,
        s.checkpoint,
        String(s.lag),
      ]),
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    process.stdout.write(`head position ${head}\n`);
    for (const row of rows)
      process.stdout.write(
        `${row
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join('  ')
          .trimEnd()}\n`,
      );
    process.stdout.write(`${await relayLine(side)}\n`);
    return 0;
  } finally {
    await side.close();
  }
}

/**
 * The relay as /health shows it from a process that does not run it (RelayObserver): what the relay
 * last wrote into relay_reports, and the backlog counted here. `status` said nothing of it, so an
 * operator saw every projection at lag 0 through a Kafka outage.
 */
async function relayLine(side: ReadSide): Promise<string> {
  const relay = await new RelayObserver({ eventStore: side.store, pool: side.pool }).status();
  if (relay.reportedAt === null)
    return `kafka-relay: no report in this database (no relay has run here: it runs in the worker when KAFKA_BROKERS is set)`;
  const backlog = `${relay.backlog}${relay.lagCapped ? '+' : ''} events not yet published`;
  const parts = [
    `kafka-relay: ${relay.state}, ${backlog}, checkpoint ${relay.checkpoint ?? 'none'}, reported at ${relay.reportedAt}`,
  ];
  if (relay.error) parts.push(`  ${relay.error}`);
  if (relay.unacknowledgedSince)
    parts.push(`  a batch unacknowledged by the broker since ${relay.unacknowledgedSince}`);
  // the error text is the broker's or the database's, stored in the database
  if (relay.lastError)
    parts.push(`  last error at ${relay.lastErrorAt}: ${terminalText(relay.lastError)}`);
  return parts.join('\n');
}
