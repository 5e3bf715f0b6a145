import { cliDatabaseLog } from '#platform';
import { openReadSide, projectionStatus } from '#projections';
import { parseCommand } from '../cli-args.js';

export const usage = `usage: status

  Each projection's version, state, checkpoint and lag (in events), from the shared database.`;

/** `status`: each projection slot's checkpoint and lag (in events), read from the shared database. */
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
    const rows = [
      ['projection', 'version', 'state', 'checkpoint', 'lag'],
      ...slots.map((s) => [
        s.name,
        `v${s.version}.${s.generation}`,
        s.state,
        s.checkpoint,
        String(s.lag),
      ]),
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    process.stdout.write(`head position ${head}\n`);
    for (const row of rows)
      process.stdout.write(`${row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')}\n`);
    return 0;
  } finally {
    await side.close();
  }
}
