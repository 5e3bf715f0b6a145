import { cliDatabaseLog } from '#platform';
import { campaignStreamId, memberStreamId, unitStreamId } from '#domain';
import {
  auditExportCsvHeader,
  auditExportCsvRows,
  auditExportCsvTotal,
  auditExportPages,
  ExportTotals,
  InvalidPeriod,
  liveReadModel,
  localInstant,
  openNames,
  openReadSide,
  READS,
  resolvePeriod,
  roundHours,
  type AuditExportScope,
  type AuditExportTotals,
  type OpenedExportShift,
} from '#projections';
import { parseCommand } from '../cli-args.js';
import { terminalCsv, terminalLines, terminalText } from '../terminal-text.js';

const DEFAULT_ZONE = 'Asia/Ho_Chi_Minh';

export const usage = `usage: export audit (--member <id> | --unit <id> | --campaign <id>)
                    [--from <date|instant>] [--to <date|instant>] [--tz <zone>] [--format csv|json]

  Every shift of a member, of a unit's whole subtree, or of a campaign that started in the period,
  with who recorded, corrected, verified or rejected it, in local time with its offset (--tz, else
  the shift's campaign's zone, else ${DEFAULT_ZONE}). CSV is UTF-8 with a byte-order mark, one row
  per shift, its corrections in rows beneath it, and a totals row. Written to stdout.`;

const scopesOf = (values: Partial<Record<'member' | 'unit' | 'campaign', string>>) =>
  (['member', 'unit', 'campaign'] as const).filter((k) => values[k] !== undefined);

/** `export audit`: the audit trail of a member, a unit subtree or a campaign, brought up to date first. */
export async function run(args: string[]): Promise<number> {
  // The shared parser refuses an option given twice: `--member a --member b` exported b alone.
  const parsed = parseCommand(
    'export',
    usage,
    args,
    {
      member: { type: 'string' },
      unit: { type: 'string' },
      campaign: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      tz: { type: 'string' },
      format: { type: 'string', default: 'csv' },
    },
    ({ values, positionals }) =>
      positionals[0] !== 'audit' || positionals.length !== 1
        ? 'the only export is "export audit"'
        : scopesOf(values).length !== 1
          ? 'give exactly one of --member, --unit or --campaign'
          : // `--member "$M"` with M unset: "member  is not registered", as if one had been named
            scopesOf(values).some((k) => values[k]!.trim() === '')
            ? `--${scopesOf(values)[0]} must not be empty: the id of the ${scopesOf(values)[0]}`
            : !['csv', 'json'].includes(values.format!)
              ? '--format is csv or json'
              : undefined,
  );
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  // Names, places and actors were stored before the free-text gate refused control characters: an
  // escape sequence in one, printed to a terminal, retitled the window or redrew the rows above it.
  // Shown escaped there (terminal-text.ts), and in CSV a line break inside a cell too, so that each
  // line is a row; a pipe or a file gets the stored text as it is.
  const shown = !process.stdout.isTTY
    ? (text: string) => text
    : values.format === 'csv'
      ? terminalCsv
      : terminalLines;
  const scopes = scopesOf(values);
  const kind = scopes[0]!;
  const id = values[kind]!;
  const scope = { [kind]: id } as AuditExportScope;
  let period;
  try {
    period = resolvePeriod({ from: values.from, to: values.to, tz: values.tz });
  } catch (error) {
    if (!(error instanceof InvalidPeriod)) throw error;
    // the message names the query parameter (`from must be …`, shared with the HTTP routes): here
    // it is the option
    const message = error.message.startsWith(error.field) ? `--${error.message}` : error.message;
    process.stderr.write(`export: ${message}\n`);
    return 2;
  }
  const side = await openReadSide(cliDatabaseLog, {
    existingOnly: true,
  });
  try {
    // A mistyped id would otherwise export an empty trail, exit 0, as if nobody had served (the
    // HTTP routes answer 404 for it).
    const streamOf = { member: memberStreamId, unit: unitStreamId, campaign: campaignStreamId }[
      kind
    ];
    if (!(await side.store.readStream(streamOf(id), { maxCount: 1 })).length) {
      process.stderr.write(`export: ${kind} ${terminalText(id)} is not registered\n`);
      return 2;
    }
    await side.runner.catchUp();
    const audit = await liveReadModel(side.pool, READS.auditTrail);
    const activity = await liveReadModel(side.pool, READS.leaderboards);
    // A page of shifts at a time, each written out before the next is read: a province's whole trail
    // read at once took 988 MB for a million events, and ten times the log would not fit a heap.
    const pages = auditExportPages(
      side.pool,
      { audit: audit.schema, activity: activity.schema },
      scope,
      period,
    );
    const totals = new ExportTotals();
    const out = json(values.tz, scope, period);
    const zones = { zone: values.tz, fallbackZone: DEFAULT_ZONE };
    // the byte order mark stays as it is: shown escaped, it would stand before the header
    let written = await writeOut(
      values.format === 'csv' ? auditExportCsvHeader() : shown(out.head),
    );
    for await (const page of pages) {
      if (!written) break; // the reader has gone (| head): the cursor's transaction ends with the loop
      const shifts = await openNames(page, side.vault);
      totals.add(shifts);
      written = await writeOut(
        shown(
          values.format === 'csv'
            ? auditExportCsvRows(shifts, zones)
            : out.shifts(shifts, totals.count === shifts.length),
        ),
      );
    }
    if (written)
      await writeOut(
        shown(
          values.format === 'csv'
            ? auditExportCsvTotal(totals.totals())
            : out.tail(totals.totals(), totals.count > 0),
        ),
      );
    // A reader that left (| head) hears nothing more, as from a Unix tool ended by SIGPIPE: the count
    // of the whole trail it said then read as the export having been taken whole.
    const count = totals.count;
    if (written) process.stderr.write(`export: ${count} ${count === 1 ? 'shift' : 'shifts'}\n`);
    return 0;
  } finally {
    await side.close();
  }
}

/**
 * Writes to stdout and waits until the text is handed to the operating system, so that a slow reader
 * holds the export back rather than the whole of it piling up in the process. False once stdout has
 * failed (the reader went away; main.ts exits 141 for it). A pipe's stdout is never destroyed by an
 * EPIPE and its writes go on returning true: `| head -5` of a million-event province read and
 * formatted the whole trail, 21 s, for five lines. The write's own callback says it failed.
 */
function writeOut(text: string): Promise<boolean> {
  const stdout = process.stdout;
  if (stdout.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => stdout.write(text, (error) => resolve(!error)));
}

/**
 * The JSON export in parts, the same text as `JSON.stringify(answer, null, 2)` of the whole answer
 * would be: its head up to the shifts' opening bracket, each page of shifts, and the totals with the
 * closing lines. Every instant as API.md writes one (ISO 8601, here local with its offset), null
 * when absent: the CSV's cell text ('2025-08-09 07:30:00 +07:00', '' for none) beside UTC
 * corrections and period was three formats in one document.
 */
function json(
  tz: string | undefined,
  scope: AuditExportScope,
  period: Readonly<{ from?: string; to?: string }>,
) {
  // the period in the zone its dates were read in (--tz, else the default)
  const inZone = (instant: string) => localInstant(instant, tz ?? DEFAULT_ZONE);
  const head = JSON.stringify(
    {
      scope,
      ...(period.from === undefined ? {} : { from: inZone(period.from) }),
      ...(period.to === undefined ? {} : { to: inZone(period.to) }),
    },
    null,
    2,
  );
  const indented = (value: unknown, by: string) =>
    JSON.stringify(value, null, 2).replace(/\n/g, `\n${by}`);
  const local = (s: OpenedExportShift) => {
    const at = (instant: string | null) =>
      localInstant(instant, tz ?? s.campaignTimezone ?? DEFAULT_ZONE);
    const span = (p: { startedAt: string | null; endedAt: string | null }) => ({
      startedAt: at(p.startedAt),
      endedAt: at(p.endedAt),
    });
    return {
      ...s,
      hours: roundHours(s.hours),
      startedAt: at(s.startedAt),
      endedAt: at(s.endedAt),
      recordedAt: at(s.recordedAt),
      verifiedAt: at(s.verifiedAt),
      corrections: s.corrections.map((c) => ({
        ...c,
        at: at(c.at),
        before: span(c.before),
        after: span(c.after),
      })),
    };
  };
  return {
    head: `${head.slice(0, -2)},\n  "shifts": [`,
    shifts: (shifts: readonly OpenedExportShift[], first: boolean) =>
      shifts
        .map((s, i) => `${first && i === 0 ? '' : ','}\n    ${indented(local(s), '    ')}`)
        .join(''),
    tail: (totals: AuditExportTotals, any: boolean) =>
      `${any ? '\n  ' : ''}],\n  "totals": ${indented(totals, '  ')}\n}\n`,
  };
}
