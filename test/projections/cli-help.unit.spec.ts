import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCli, runCli } from './support/built-cli.js';

/**
 * The command line's own dispatch (main.ts), as a person types it: the built CLI, with a DATA_DIR
 * that holds nothing and no database configured, since none of this needs one.
 */
describe('npm run cli -- help, and command names that are not commands', () => {
  let dataDir: string;
  const cli = (...args: string[]) =>
    runCli(args, { DATA_DIR: dataDir, DATABASE_URL: undefined, AUTH_JWT_SECRET: undefined });

  beforeAll(() => buildCli(), 120_000);
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cli-help-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  // Found by probing: `npm run cli -- help` answered "unknown command: help" with the usage on
  // stderr and exit 2, to a person asking for the usage.
  it('given `help`, when run, then the usage of every command is on stdout, exit 0', () => {
    const result = cli('help');

    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout).toMatch(/^usage: npm run cli -- <command>/);
    expect(result.stdout).toContain('  verify certificate <file>');
  });

  it.each([
    [['help', 'help'], /^usage: npm run cli -- <command>/],
    [['help', 'token'], /^usage: token --role/],
    [['help', 'verify', 'log'], /^usage: verify log --checkpoint/],
    [['help', 'seed', 'synthetic'], /^usage: seed synthetic --events N/],
    [['help', 'export'], /^usage: export audit/],
  ])(
    'given %j, when run, then that command’s usage is on stdout, exit 0, and no database is touched',
    (args, usage) => {
      const result = cli(...args);

      expect({ args, status: result.status, stderr: result.stderr }).toEqual({
        args,
        status: 0,
        stderr: '',
      });
      expect(result.stdout).toMatch(usage);
      expect(readdirSync(dataDir)).toEqual([]);
    },
  );

  it('given `help` of a command that does not exist, then it is named as unknown, exit 2', () => {
    const result = cli('help', 'frobnicate');

    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^unknown command: frobnicate\n/);
    expect(result.stdout).toBe('');
  });

  // Found by probing: a name every object inherits (`constructor`, `toString`) was taken for a
  // command, warned of the secret and database it would create, and ended in "error: (intermediate
  // value).run is not a function", exit 1.
  it.each([['constructor'], ['toString'], ['__proto__'], ['hasOwnProperty']])(
    'given %s as the command, then it is an unknown command, exit 2, and nothing is announced',
    (name) => {
      const result = cli(name);

      expect({ name, status: result.status }).toEqual({ name, status: 2 });
      expect(result.stderr).toMatch(new RegExp(`^unknown command: ${name}\\n`));
      expect(result.stderr).not.toContain('is not a function');
      expect(result.stderr).not.toContain('using DATA_DIR');
      expect(readdirSync(dataDir)).toEqual([]);
    },
  );

  // An attacker's command name (`$(printf '\e]0;…')`) is echoed back: as text, not as a terminal
  // sequence, as everything the CLI prints from outside (terminal-text.ts).
  it('given a command name with an escape sequence, then it is shown escaped', () => {
    const result = cli('\u001b[2J\u001b]0;owned\u0007');

    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^unknown command: \\u001B\[2J\\u001B\]0;owned\\u0007\n/);
    expect(result.stderr).not.toContain('\u001b');
  });

  // Found by probing: a database that did not answer was "error: connect ECONNREFUSED 127.0.0.1:1",
  // naming neither the configured database nor what to check.
  it.each([['status'], ['verify'], ['export', 'audit', '--member', 'm1']])(
    'given a DATABASE_URL nobody answers at, when %s runs, then one line names it without its password, exit 1',
    (...args) => {
      const result = runCli(args, {
        DATA_DIR: dataDir,
        DATABASE_URL: 'postgres://auditor:s3cret-pw@127.0.0.1:1/volunteers',
        AUTH_JWT_SECRET: undefined,
      });

      expect({ args, status: result.status }).toEqual({ args, status: 1 });
      const failure = result.stderr.trimEnd().split('\n').at(-1);
      expect(failure).toMatch(
        /^error: cannot reach PostgreSQL at postgres:\/\/auditor:\*\*\*@127\.0\.0\.1:1\/volunteers: .*ECONNREFUSED.*\. Is it running/,
      );
      expect(result.stderr).not.toContain('s3cret-pw');
      expect(result.stderr).not.toMatch(/^\s+at /m);
      expect(result.stdout).toBe('');
    },
  );

  it('given a configuration with two problems, then each is on a line of its own, exit 2', () => {
    const result = runCli(['token', '--role', 'viewer'], {
      DATA_DIR: dataDir,
      DATABASE_URL: undefined,
      AUTH_JWT_SECRET: 'short',
      PORT: 'eighty',
    });

    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/\nerror: invalid configuration:\n {2}- /);
    expect(result.stderr).toContain('\n  - AUTH_JWT_SECRET must be at least 16 characters');
    expect(result.stderr).not.toContain('\\u000A');
    expect(result.stdout).toBe('');
  });

  // Found by probing: Node's recursive mkdir tries again for ever where the kernel answers ENOENT
  // under a directory that exists (/proc): the CLI spun at full CPU, deaf to Ctrl-C and SIGTERM.
  it('given a DATA_DIR where no directory can be made, then the command says so, exit 2', () => {
    const { DATABASE_URL: _, AUTH_JWT_SECRET: __, ...env } = process.env;
    const result = spawnSync(process.execPath, ['dist/apps/cli/src/main.js', 'replay', '--all'], {
      encoding: 'utf8',
      timeout: 60_000,
      killSignal: 'SIGKILL', // a spinning process never runs its SIGTERM handler
      env: { ...env, DATA_DIR: '/proc/no-such-data-dir' },
    });

    expect({ status: result.status, signal: result.signal }).toEqual({ status: 2, signal: null });
    expect(result.stderr).toMatch(
      /ENOENT: no such file or directory, mkdir '\/proc\/no-such-data-dir'/,
    );
  });
});
