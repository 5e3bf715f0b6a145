import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, MAX_TOKEN_TTL_DAYS, verifyToken } from '#platform';
import { run } from '../../apps/cli/src/commands/token.command.js';
import { runCliInProcess } from '../harness/cli-in-process.js';

/** Runs the token command in-process, capturing what it prints; minting alone, with no database to check a unit in. */
const token = (args: string[], env: Record<string, string>) =>
  runCliInProcess(run, args, { ...env, AUTH_JWT_SECRET: undefined, DATABASE_URL: undefined });

describe('npm run cli -- token', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'token-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('mints a token the server accepts with the secret kept in DATA_DIR', async () => {
    const result = await token(['--role', 'coordinator', '--unit', 'ward-7', '--sub', 'm-1'], {
      DATA_DIR: dataDir,
    });
    expect(result.code).toBe(0);
    const serverSecret = loadConfig({ DATA_DIR: dataDir }).jwtSecret; // what the server will read
    expect((await verifyToken(result.out.trim(), serverSecret)).actor).toEqual({
      sub: 'm-1',
      role: 'coordinator',
      unitId: 'ward-7',
    });
  });

  // API.md: a volunteer's sub is their memberId, and nobody verifies their own shift. Without --sub a
  // coordinator's token was minted for 'coordinator-cli' in silence: every such token is the same
  // nobody, who may verify the shifts of the coordinator holding it, and every verdict it records
  // names 'coordinator-cli' instead of who gave it.
  it.each(['coordinator', 'volunteer'])(
    "given no --sub, when a %s's token is minted, then it warns that the token is no member's",
    async (role) => {
      const result = await token(['--role', role, '--unit', 'ward-7'], { DATA_DIR: dataDir });

      expect(result.code).toBe(0);
      expect(result.err).toContain(`no --sub: this token acts as "${role}-cli"`);
      expect(result.err).toContain('give --sub <memberId>');
    },
  );

  // Found by probing the command line: the unit was printed as given, so a line break or a carriage
  // return in it (a value a script took from elsewhere) broke the warning over two lines or redrew it.
  it('given a --unit holding a line break, when minted, then it is refused in one line naming the character, and no token printed', async () => {
    const result = await token(
      ['--role', 'coordinator', '--unit', 'ward-7\nOK\rx', '--sub', 'm-1'],
      {
        DATA_DIR: dataDir,
      },
    );

    expect(result.err.split('\n')[0]).toBe(
      'token: --unit must not contain the control character U+000A: the server refuses such a token',
    );
    expect(result.out).toBe('');
    expect(result.code).not.toBe(0);
  });

  // Found by a new user's session: `token --role operator --unit ward-1` printed a token that reads
  // like one for ward-1's subtree, and the server (authorizer.ts: operators act everywhere) let it
  // register units anywhere. API.md's `token` takes --unit for every role, so it is minted, and said.
  it("given --unit, when an operator's token is minted, then it says the unit limits nothing", async () => {
    const result = await token(['--role', 'operator', '--unit', 'ward-7'], { DATA_DIR: dataDir });

    expect(result.code).toBe(0);
    expect(result.out.trim().split('.')).toHaveLength(3);
    expect(result.err).toContain(
      "token: an operator's token acts on the whole tree: --unit ward-7 limits nothing",
    );
  });

  it("given --sub, when a coordinator's token is minted, then no warning about it", async () => {
    const result = await token(['--role', 'coordinator', '--unit', 'ward-7', '--sub', 'm-1'], {
      DATA_DIR: dataDir,
    });

    expect(result.err).not.toContain('--sub');
  });

  it('expires after --ttl', async () => {
    const result = await token(['--role', 'viewer', '--ttl', '90m'], { DATA_DIR: dataDir });
    const payload = JSON.parse(
      Buffer.from(result.out.trim().split('.')[1]!, 'base64url').toString(),
    ) as { exp: number; iat: number };
    expect(payload.exp - payload.iat).toBe(90 * 60);
  });

  it.each([['999999d'], ['367d'], ['31622401']])(
    'refuses --ttl %s, beyond the longest lifetime the server accepts, naming the limit',
    async (ttl) => {
      const result = await token(['--role', 'viewer', '--ttl', ttl], { DATA_DIR: dataDir });

      expect(result.code).toBe(2);
      expect(result.err).toContain(`--ttl must be at most ${MAX_TOKEN_TTL_DAYS}d`);
      expect(result.out).toBe('');
    },
  );

  it('mints a token for the longest lifetime, which the server accepts', async () => {
    const result = await token(['--role', 'viewer', '--ttl', `${MAX_TOKEN_TTL_DAYS}d`], {
      DATA_DIR: dataDir,
    });

    expect(result.code).toBe(0);
    const serverSecret = loadConfig({ DATA_DIR: dataDir }).jwtSecret;
    expect((await verifyToken(result.out.trim(), serverSecret)).actor.role).toBe('viewer');
  });

  it.each([
    [['--role', 'admin']],
    [['--unit', 'x']],
    [['--role', 'viewer', '--ttl', 'forever']],
    [['--role', 'viewer', '--colour', 'red']],
    [['--role', 'coordinator']], // the server would refuse a coordinator token without its unit
    [['--role', 'volunteer', '--sub', 'm-1']], // and a volunteer's
  ])('refuses %j with a usage message', async (args) => {
    const result = await token(args, { DATA_DIR: dataDir });
    expect(result.code).toBe(2);
    expect(result.err).toContain('usage: token');
    expect(result.out).toBe('');
  });

  // Found by probing the command line: `token --sub ''` (or 201 characters) exited 0 with a token
  // every route refuses (401: "the token has no subject", "sub must be 1 to 200 characters long").
  it.each([
    [
      'an empty --sub',
      ['--role', 'viewer', '--sub', ''],
      '--sub must not be empty or only whitespace',
    ],
    [
      'a blank --sub',
      ['--role', 'viewer', '--sub', '  '],
      '--sub must not be empty or only whitespace',
    ],
    [
      'a --sub of 201 characters',
      ['--role', 'viewer', '--sub', 's'.repeat(201)],
      '--sub must be 1 to 200 characters long',
    ],
    [
      'a --unit of 201 characters',
      ['--role', 'operator', '--unit', 'u'.repeat(201)],
      '--unit must be 1 to 200 characters long',
    ],
  ])('refuses %s, a claim the server would refuse, naming it', async (_, args, reason) => {
    // given no database yet, where the unit cannot be looked up
    // when a token is asked for with a claim no event can hold
    const result = await token(args, { DATA_DIR: dataDir });

    // then nothing is minted, and the reason is given
    expect(result.code).toBe(2);
    expect(result.err).toContain(reason);
    expect(result.out).toBe('');
  });

  it('mints a token for a sub of 200 characters, which the server accepts', async () => {
    const sub = 's'.repeat(200);
    const result = await token(['--role', 'viewer', '--sub', sub], { DATA_DIR: dataDir });

    expect(result.code).toBe(0);
    const serverSecret = loadConfig({ DATA_DIR: dataDir }).jwtSecret;
    expect((await verifyToken(result.out.trim(), serverSecret)).actor.sub).toBe(sub);
  });

  it.each([['-h'], ['--help']])('prints its usage for %s and exits 0', async (flag) => {
    const result = await token([flag], { DATA_DIR: dataDir });

    expect(result.code).toBe(0);
    expect(result.out).toContain('usage: token');
  });
});
