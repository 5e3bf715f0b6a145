import { ROLES, isRole, loadConfig, signToken } from '#platform';

const usage =
  'usage: token --role <volunteer|coordinator|operator|auditor|viewer> [--unit <unitId>] [--sub <id>] [--ttl <duration: 3600, 90m, 12h, 7d>]';

/** `3600`, `90s`, `90m`, `12h`, `7d` → seconds; undefined when not a positive duration. */
export function parseTtl(text: string): number | undefined {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (!match) return undefined;
  const seconds =
    Number(match[1]) *
    { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
  return seconds > 0 ? seconds : undefined;
}

function parseArgs(args: string[]): Record<string, string> | string {
  const options: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const name = args[i]!;
    const known = ['--role', '--unit', '--sub', '--ttl'];
    const [flag, inline] = name.includes('=')
      ? [name.slice(0, name.indexOf('=')), name.slice(name.indexOf('=') + 1)]
      : [name, undefined];
    if (!known.includes(flag)) return `unknown option ${name}`;
    const value = inline ?? args[++i];
    if (value === undefined || value.startsWith('--')) return `${flag} needs a value`;
    options[flag.slice(2)] = value;
  }
  return options;
}

/**
 * Prints a bearer JWT signed with the configured secret: AUTH_JWT_SECRET, or the secret kept in
 * DATA_DIR that the server uses too. Needs no running server.
 */
export async function run(args: string[]): Promise<number> {
  const options = parseArgs(args);
  if (typeof options === 'string') {
    process.stderr.write(`token: ${options}\n${usage}\n`);
    return 2;
  }
  if (!isRole(options.role)) {
    process.stderr.write(`token: --role must be one of ${ROLES.join(', ')}\n${usage}\n`);
    return 2;
  }
  if (options.role === 'coordinator' && !options.unit) {
    // The server refuses such a token (401): a coordinator acts on their unit's subtree only.
    process.stderr.write(`token: a coordinator's token needs --unit <unitId>\n${usage}\n`);
    return 2;
  }
  const ttl = options.ttl === undefined ? 12 * 3600 : parseTtl(options.ttl);
  if (ttl === undefined) {
    process.stderr.write(
      `token: --ttl must be a duration such as 3600, 90m, 12h or 7d\n${usage}\n`,
    );
    return 2;
  }
  const config = loadConfig(process.env); // a ConfigError exits 2 with its message (main.ts)
  const sub = options.sub ?? `${options.role}-cli`;
  const token = await signToken(
    { sub, role: options.role, ...(options.unit ? { unitId: options.unit } : {}) },
    config.jwtSecret,
    ttl,
  );
  process.stdout.write(`${token}\n`);
  return 0;
}
