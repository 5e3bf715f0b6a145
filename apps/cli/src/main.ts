#!/usr/bin/env node
// The operator and auditor command line (API.md "Command line"). Each command lives in its own file
// under ./commands and exports `run(args): Promise<number>` (the exit code).
type CommandModule = { run(args: string[]): Promise<number> };

const commands: Record<string, () => Promise<CommandModule>> = {
  token: () => import('./commands/token.command.js'),
  replay: () => import('./commands/replay.command.js'),
  verify: () => import('./commands/verify.command.js'),
  export: () => import('./commands/export.command.js'),
  seed: () => import('./commands/seed.command.js'),
  status: () => import('./commands/status.command.js'),
};

const usage = `usage: npm run cli -- <command>
  token --role <role> [--unit <unitId>] [--sub <id>]
  replay [--projection <name>|--all] [--to-position N | --to-time ISO]
  verify [--stream <id>]
  verify log --checkpoint <file> [--key <verifier key>]
  verify certificate <file> --key <verifier key>
  export audit --member <id> [--from] [--to] [--format csv|json]
  seed <scenario>
  status`;

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const load = name ? commands[name] : undefined;
  if (!load) {
    process.stderr.write(`${name ? `unknown command: ${name}\n` : ''}${usage}\n`);
    return name === undefined || name === '--help' ? 0 : 2;
  }
  return (await load()).run(args);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    // A configuration mistake is a usage error (2), like a bad flag; anything else failed (1).
    process.exit((error as Error).name === 'ConfigError' ? 2 : 1);
  },
);
