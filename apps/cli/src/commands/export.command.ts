import {
  auditHoursCsv,
  auditMemberHours,
  InvalidPeriod,
  liveReadModel,
  openNames,
  openReadSide,
  READS,
  resolvePeriod,
} from '#projections';

const usage =
  'usage: export audit --member <id> [--from <date|instant>] [--to <date|instant>] [--tz <zone>] [--format csv|json]';

/** `export audit`: a member's audited hours, brought up to date first, to stdout as CSV or JSON. */
export async function run(args: string[]): Promise<number> {
  const [what, ...rest] = args;
  const options: Record<string, string> = {};
  for (let i = 0; i < rest.length; i += 2) {
    const flag = rest[i]!;
    const value = rest[i + 1];
    if (!['--member', '--from', '--to', '--tz', '--format'].includes(flag) || value === undefined) {
      process.stderr.write(`export: bad option ${flag}\n${usage}\n`);
      return 2;
    }
    options[flag.slice(2)] = value;
  }
  const format = options.format ?? 'csv';
  if (what !== 'audit' || !options.member || !['csv', 'json'].includes(format)) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  let period;
  try {
    period = resolvePeriod({ from: options.from, to: options.to, tz: options.tz });
  } catch (error) {
    if (error instanceof InvalidPeriod) {
      process.stderr.write(`export: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const side = await openReadSide((line) => process.stderr.write(`${line}\n`));
  try {
    await side.runner.catchUp();
    const model = await liveReadModel(side.pool, READS.auditTrail);
    const report = await auditMemberHours(side.pool, model.schema, {
      memberId: options.member,
      ...period,
    });
    if (!report) {
      process.stderr.write(`export: member ${options.member} is unknown\n`);
      return 1;
    }
    const [opened] = await openNames([report], side.vault);
    process.stdout.write(
      format === 'csv'
        ? auditHoursCsv(opened!)
        : `${JSON.stringify({ ...opened, position: Number(model.position) }, null, 2)}\n`,
    );
    return 0;
  } finally {
    await side.close();
  }
}
