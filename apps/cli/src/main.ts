#!/usr/bin/env node
// The operator and auditor command line (API.md "Command line"). Each command lives in its own file
// under ./commands and exports `run(args): Promise<number>` (the exit code).

import { terminalLines, terminalText } from './terminal-text.js';

type CommandModule = { run(args: string[]): Promise<number> };

const commands: Record<string, () => Promise<CommandModule>> = {
  token: () => import('./commands/token.command.js'),
  replay: () => import('./commands/replay.command.js'),
  verify: () => import('./commands/verify.command.js'),
  export: () => import('./commands/export.command.js'),
  seed: () => import('./commands/seed.command.js'),
  status: () => import('./commands/status.command.js'),
};

const usage = `usage: npm run cli -- <command> [options]     (npm run cli -- help <command> for one)
  token --role <role> [--unit <unitId>] [--sub <id>] [--ttl <duration>]
  replay [--projection <name> | --all]
  replay (--to-position N | --to-time ISO) [--snapshot <id>]
  verify [--stream <id>]
  verify log --checkpoint <file> [--key <verifier key>] [--keep]
  verify certificate <file> --key <verifier key> [--origin <log origin>]
  export audit (--member <id> | --unit <id> | --campaign <id>) [--from] [--to] [--tz] [--format csv|json]
  seed <scenario> | seed synthetic --events N [--seed S] [--resume]
  status

It uses the server's configuration (DATA_DIR, DATABASE_URL, AUTH_JWT_SECRET): export the same values.`;

/** Commands that work on nothing but their arguments: no data directory to announce. */
const offline = (args: readonly string[]) =>
  args.includes('--help') || args.includes('-h') || args[0] === 'certificate';

/**
 * Commands that only read: pointed at a database without the schema they refuse, creating nothing.
 * `token` too: it reads a unit (--unit) where a database exists, and never creates one.
 */
const readOnly = new Set(['verify', 'status', 'export', 'token']);

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (
    first === undefined ||
    first === '--help' ||
    first === '-h' ||
    (first === 'help' && (!rest.length || rest[0] === 'help'))
  ) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  // `help <command>` as `<command> --help`, the way git and npm take it: it was "unknown command:
  // help", the usage on stderr and exit 2, for a person asking for it.
  const [name, args] = first === 'help' ? [rest[0]!, [...rest.slice(1), '--help']] : [first, rest];
  // own names only: `constructor` or `toString` found Object's and ended in "run is not a function"
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) {
    process.stderr.write(`unknown command: ${terminalText(name)}\n${usage}\n`);
    return 2;
  }
  if (!offline(args))
    (await import('./setup-notice.js')).announceSetup(process.env, {
      readOnly: readOnly.has(name),
      createsSecret: !readOnly.has(name) || name === 'token',
    });
  return (await load()).run(args);
}

/**
 * Ctrl-C (or a SIGTERM, or the SIGHUP of a terminal closed or an ssh session dropped) ends the command
 * halfway, as Node would (exit 130, 143 or 129), but first stops the embedded PostgreSQL the command
 * started, if it did: a detached child, it went on running after the CLI ended, with nobody to stop
 * it (README: whichever started it stops it on exit). A seed so interrupted is finished with
 * `--resume`; a rebuild or snapshot job goes on in the server's worker.
 */
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const)
  process.once(signal, () => {
    process.stderr.write(`${signal}: interrupted\n`);
    void import('#platform')
      .then(({ stopStartedClusters }) => stopStartedClusters())
      .finally(() => process.exit(code));
  });

/**
 * Resolves once what was written to `stream` so far has been handed to the operating system (or the
 * stream failed, say a reader that went away). Writes to a pipe are asynchronous: `process.exit` right
 * after them dropped what the pipe had not taken yet, so `export audit … | jq` read the first 64 KiB of
 * an export, and the command still exited 0.
 */
const flushed = (stream: NodeJS.WriteStream): Promise<void> =>
  new Promise((resolve) => stream.write('', () => resolve()));

/**
 * stderr failing (a terminal hung up: EIO) has nowhere to be told; unheard, its error ended the
 * process at once, before the embedded PostgreSQL it started was stopped.
 */
process.stderr.on('error', () => undefined);

/** Why stdout failed, if it did: the output did not all arrive, so the command must not exit 0. */
let stdoutFailed: NodeJS.ErrnoException | undefined;
process.stdout.on('error', (error: NodeJS.ErrnoException) => (stdoutFailed ??= error));

const exitFlushed = async (code: number): Promise<never> => {
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  if (stdoutFailed && code === 0) {
    // A reader that left early (`| head`) ends the command as SIGPIPE ends a Unix tool (128 + 13),
    // quietly; any other failure says what it was.
    if (stdoutFailed.code !== 'EPIPE')
      process.stderr.write(`error: stdout: ${stdoutFailed.message}\n`);
    return process.exit(stdoutFailed.code === 'EPIPE' ? 141 : 1);
  }
  return process.exit(code);
};

main(process.argv.slice(2)).then(
  (code) => exitFlushed(code),
  async (error: unknown) => {
    // a configuration error lists each problem on a line of its own: those breaks are kept
    process.stderr.write(`error: ${terminalLines(await failureText(error as Error))}\n`);
    // A configuration mistake is a usage error (2), like a bad flag; anything else failed (1), such as
    // a read-only command finding no event log where it looked (NoEventLog).
    return exitFlushed((error as Error).name === 'ConfigError' ? 2 : 1);
  },
);

/**
 * What failed, in one line. A database that does not answer is named (without its password), with
 * where to look: "error: connect ECONNREFUSED 127.0.0.1:5432" said neither which configuration it
 * came from nor what to check.
 */
async function failureText(error: Error): Promise<string> {
  const { databaseFailureText } = await import('#platform');
  const { databaseNamed } = await import('./setup-notice.js');
  return (
    databaseFailureText(error, databaseNamed(process.env), {
      check: "Is it running, and is DATABASE_URL (or DATA_DIR) the server's?",
      again: 'run the command again',
    }) ?? error.message
  );
}
