import { instantProblem, requireInstant } from '#domain';
import { countEvents, getJob, openReadSide, projections, startRebuild } from '#projections';

const usage = 'usage: replay [--projection <name>|--all] [--to-position N | --to-time ISO]';

type Options = { projection?: string; toPosition?: bigint; toTime?: Date };

function parse(args: string[]): Options | string {
  const options: Options = {};
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    if (flag === '--all') continue;
    const value = args[++i];
    if (value === undefined) return `${flag} needs a value`;
    if (flag === '--projection') {
      if (!projections.some((p) => p.name === value))
        return `unknown projection ${value} (known: ${projections.map((p) => p.name).join(', ')})`;
      options.projection = value;
    } else if (flag === '--to-position') {
      if (!/^\d+$/.test(value)) return '--to-position must be a non-negative integer';
      options.toPosition = BigInt(value);
    } else if (flag === '--to-time') {
      // the domain's value type says what an instant is (#domain values.ts)
      const problem = instantProblem(value);
      if (problem) return `--to-time ${problem}`;
      options.toTime = new Date(requireInstant(value, '--to-time'));
    } else return `unknown option ${flag}`;
  }
  if (options.toPosition !== undefined && options.toTime !== undefined)
    return 'give --to-position or --to-time, not both';
  return options;
}

function bar(processed: number, total: number, startedAt: number): string {
  const width = 30;
  const ratio = total > 0 ? Math.min(1, processed / total) : 1;
  const filled = Math.round(ratio * width);
  const rate = Math.round(processed / Math.max(0.001, (Date.now() - startedAt) / 1000));
  return `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}% ${processed}/${total} events ${rate}/s`;
}

/**
 * Rebuilds beside the live tables and switches over when caught up (the same job as
 * POST /admin/projections/rebuild). This process drives the rebuild itself; a running worker may share
 * the batches (each slot's checkpoint row is locked per batch), so it works with or without the server.
 * `--to-time` bounds by metadata.recordedAt: what the system knew at that time.
 */
export async function run(args: string[]): Promise<number> {
  const options = parse(args);
  if (typeof options === 'string') {
    process.stderr.write(`replay: ${options}\n${usage}\n`);
    return 2;
  }
  const side = await openReadSide((line) => process.stderr.write(`${line}\n`));
  try {
    const id = await startRebuild(side.pool, projections, options, await countEvents(side.pool));
    process.stderr.write(`replay job ${id}: ${options.projection ?? 'all projections'}\n`);
    const startedAt = Date.now();
    for (;;) {
      await side.runner.runOnce();
      const job = (await getJob(side.pool, id))!;
      if (process.stderr.isTTY || job.state !== 'running')
        process.stderr.write(bar(job.processed, Math.max(job.total, job.processed), startedAt));
      if (job.state === 'done') {
        process.stderr.write(
          `\nreplay done in ${((Date.now() - startedAt) / 1000).toFixed(1)} s\n`,
        );
        return 0;
      }
      if (job.state === 'failed') {
        process.stderr.write(`\nreplay failed: ${job.error ?? 'unknown error'}\n`);
        return 1;
      }
    }
  } finally {
    await side.close();
  }
}
