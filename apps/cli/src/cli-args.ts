import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseVerifierKey } from '#event-store';
import { terminalLines } from './terminal-text.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export type Parsed<O extends Options> = {
  values: ReturnType<
    typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>
  >['values'];
  positionals: string[];
};

/**
 * The one argument parser of every command (node:util parseArgs): `-h`/`--help` prints the command's
 * usage to stdout (exit 0); an unknown option, a missing value, an option given twice or what `check`
 * refuses (conflicting flags, values out of range) prints the reason and the usage to stderr (exit 2).
 * Returns the parsed options, or the exit code to end with.
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
    const { values, positionals, tokens } = parseArgs({
      args: negativeValuesInline(args, options),
      options: all,
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
    // parseArgs keeps the last of a repeated option: `--seed 1 --seed 2` would silently mean 2.
    const seen = new Set<string>();
    for (const token of tokens)
      if (token.kind === 'option' && !all[token.name]?.multiple) {
        if (seen.has(token.name)) return refuse(name, usage, `--${token.name} is given twice`);
        seen.add(token.name);
      }
    parsed = { values, positionals } as Parsed<O>;
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

/**
 * `--seed -1` as `--seed=-1`: parseArgs takes a value starting with a dash for a forgotten value
 * ("ambiguous") and never shows it to `check`, which can name the option's range instead.
 */
function negativeValuesInline(args: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '--') return [...out, ...args.slice(i)];
    const next = args[i + 1];
    const option = arg.startsWith('--') ? options[arg.slice(2)] : undefined;
    if (option?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i += 1;
    } else out.push(arg);
  }
  return out;
}

function refuse(name: string, usage: string, problem: string): number {
  // the problem quotes the arguments (an unknown option, an unexpected argument, a value out of
  // range), which a script may have filled from anywhere: shown, not acted on by the terminal (its
  // line breaks kept: parseArgs explains an ambiguous value over three lines)
  process.stderr.write(`${name}: ${terminalLines(problem)}\n${usage}\n`);
  return 2;
}

/** The progress line of a long command, redrawn in place, only when a person watches (stderr is a terminal). */
export function progressOnTerminal(): ((line: string) => void) | undefined {
  return process.stderr.isTTY ? (line) => process.stderr.write(line) : undefined;
}

/**
 * Why a --key is not a verifier key (`<name>+<hash>+<base64>`, as note.NewVerifier takes it), or
 * undefined: a usage error, named before anything is opened, not a check that failed.
 */
export function verifierKeyProblem(key: string): string | undefined {
  try {
    parseVerifierKey(key);
    return undefined;
  } catch (error) {
    return `--key is not a verifier key (${(error as Error).message})`;
  }
}

/**
 * Says what becomes of the work when Ctrl-C (or SIGTERM) ends the command during `working`: main.ts
 * exits 130 (143), and what was committed is kept. An operator told only "interrupted" took a
 * replay's job as stopped (it is left to the next worker), and a seed's events as gone (they are
 * kept, and `--resume` finishes the run).
 */
export async function leftOnInterrupt<T>(note: string, working: () => Promise<T>): Promise<T> {
  const say = () => process.stderr.write(`\n${note}\n`);
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const; // main.ts ends the command on each
  for (const signal of signals) process.once(signal, say);
  try {
    return await working();
  } finally {
    for (const signal of signals) process.off(signal, say);
  }
}
