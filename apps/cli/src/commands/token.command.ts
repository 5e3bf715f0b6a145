import { freeTextProblem, unitStreamId } from '#domain';
import {
  ROLES,
  holdsCluster,
  isRole,
  loadConfig,
  MAX_TOKEN_TTL_DAYS,
  MAX_TOKEN_TTL_SECONDS,
  openCliContext,
  signToken,
  type AppConfig,
  type Role,
} from '#platform';
import { parseCommand } from '../cli-args.js';
import { terminalText } from '../terminal-text.js';

export const usage = `usage: token --role <volunteer|coordinator|operator|auditor|viewer> [--unit <unitId>] [--sub <id>] [--ttl <duration>]

  Prints a bearer JWT for the configured secret (AUTH_JWT_SECRET, or the one kept in DATA_DIR, which
  the server shares). --ttl: 3600, 90m, 12h (default) or 7d; at most ${MAX_TOKEN_TTL_DAYS}d, since the server
  refuses a token that lives longer. A coordinator's or a volunteer's token needs --unit, and --sub
  <memberId> to act as that member (without it, it acts as "<role>-cli", no member). An operator's
  token acts on the whole tree, --unit or not.`;

/** `3600`, `90s`, `90m`, `12h`, `7d` → seconds; undefined when not a positive duration. */
export function parseTtl(text: string): number | undefined {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (!match) return undefined;
  const seconds =
    Number(match[1]) *
    { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
  return seconds > 0 ? seconds : undefined;
}

function problemOf({
  values,
  positionals,
}: {
  values: Record<string, unknown>;
  positionals: string[];
}) {
  if (positionals.length) return `unexpected argument ${positionals[0]}`;
  if (!isRole(values.role)) return `--role must be one of ${ROLES.join(', ')}`;
  // The server refuses such a token (401): a coordinator or a volunteer acts in a unit's subtree only.
  if ((values.role === 'coordinator' || values.role === 'volunteer') && !values.unit)
    return `a ${values.role}'s token needs --unit <unitId>`;
  // The server refuses (401) a sub or unitId that no event can hold (jwt.ts, the rule of an actor):
  // an empty or over-long --sub was minted all the same, a token good for nothing.
  for (const name of ['sub', 'unit'] as const) {
    const problem = values[name] === undefined ? null : freeTextProblem(values[name], 'actor');
    if (problem) return `--${name} ${problem}: the server refuses such a token`;
  }
  if (values.ttl !== undefined) {
    const ttl = parseTtl(String(values.ttl));
    if (ttl === undefined) return '--ttl must be a duration such as 3600, 90m, 12h or 7d';
    if (ttl > MAX_TOKEN_TTL_SECONDS)
      return `--ttl must be at most ${MAX_TOKEN_TTL_DAYS}d: the server refuses a token that lives longer`;
  }
  return undefined;
}

/**
 * A token for a unit nobody registered acts on nothing: say so rather than mint it. Checked in the
 * configured database when there is one; a DATA_DIR with no database yet cannot tell (warned).
 */
async function unitIsRegistered(config: AppConfig, unitId: string): Promise<boolean> {
  if (!config.databaseUrl && !holdsCluster(config.dataDir)) {
    process.stderr.write(
      `token: no database in ${config.dataDir} yet: unit ${terminalText(unitId)} not checked\n`,
    );
    return true;
  }
  const context = await openCliContext(process.env, { existingOnly: true });
  try {
    return (await context.store.readStream(unitStreamId(unitId), { maxCount: 1 })).length > 0;
  } finally {
    await context.close();
  }
}

/**
 * Prints a bearer JWT signed with the configured secret: AUTH_JWT_SECRET, or the secret kept in
 * DATA_DIR that the server uses too. Needs no running server.
 */
export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand(
    'token',
    usage,
    args,
    {
      role: { type: 'string' },
      unit: { type: 'string' },
      sub: { type: 'string' },
      ttl: { type: 'string' },
    },
    problemOf,
  );
  if (typeof parsed === 'number') return parsed;
  const options = parsed.values as { role: Role; unit?: string; sub?: string; ttl?: string };
  const ttl = options.ttl === undefined ? 12 * 3600 : parseTtl(options.ttl)!;
  const config = loadConfig(process.env); // a ConfigError exits 2 with its message (main.ts)
  if (options.unit !== undefined && !(await unitIsRegistered(config, options.unit))) {
    process.stderr.write(`token: unit ${terminalText(options.unit)} is not registered\n`);
    return 2;
  }
  const sub = options.sub ?? `${options.role}-cli`;
  // API.md: a volunteer's sub is their memberId, and nobody verifies their own shift, which only a
  // member's sub can tell. Minted anyway (a token to look around with), but said.
  if (options.sub === undefined && (options.role === 'coordinator' || options.role === 'volunteer'))
    process.stderr.write(
      `token: no --sub: this token acts as "${sub}", no member: ` +
        (options.role === 'volunteer'
          ? 'it records no shifts or skills; give --sub <memberId>\n'
          : 'it may verify the own shifts of whoever holds it, and its verdicts name nobody; give --sub <memberId>\n'),
    );
  // API.md gives operators everything, everywhere, and the server does not narrow them to a token's
  // unit (authorizer.ts): a unit on one reads as a limit nobody applies. Minted, since API.md's
  // `token` takes --unit for every role, but said.
  if (options.role === 'operator' && options.unit !== undefined)
    process.stderr.write(
      `token: an operator's token acts on the whole tree: --unit ${terminalText(options.unit)} limits nothing ` +
        "(a coordinator's token acts on a unit's subtree)\n",
    );
  const token = await signToken(
    { sub, role: options.role, ...(options.unit ? { unitId: options.unit } : {}) },
    config.jwtSecret,
    ttl,
  );
  process.stdout.write(`${token}\n`);
  return 0;
}
