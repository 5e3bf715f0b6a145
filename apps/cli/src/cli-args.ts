import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export type Parsed<O extends Options> = {
  values: ReturnType<
    typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>
  >['values'];
  positionals: string[];
};

/**
 * The one argument parser of every command (node:util parseArgs): `-h`/`--help` prints the command's
 * usage to stdout (exit 0); an unknown option, a missing value or what `check` refuses (conflicting
 * flags) prints the reason and the usage to stderr (exit 2). Returns the parsed options, or the exit
 * code to end with.
 */
export function parseCommand<O extends Options>(
  name: string,
  usage: string,
  args: string[],
  options: O,
  check: (parsed: Parsed<O>) => string | undefined = () => undefined,
): Parsed<O> | number {
  let parsed: Parsed<O>;
  try {
    const all = { ...options, help: { type: 'boolean', short: 'h' } } as O;
    parsed = parseArgs({ args, options: all, allowPositionals: true, strict: true }) as Parsed<O>;
  } catch (error) {
    return refuse(name, usage, (error as Error).message);
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const problem = check(parsed);
  return problem === undefined ? parsed : refuse(name, usage, problem);
}

function refuse(name: string, usage: string, problem: string): number {
  process.stderr.write(`${name}: ${problem}\n${usage}\n`);
  return 2;
}

/** The progress line of a long command, redrawn in place, only when a person watches (stderr is a terminal). */
export function progressOnTerminal(): ((line: string) => void) | undefined {
  return process.stderr.isTTY ? (line) => process.stderr.write(line) : undefined;
}
