import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../apps/cli/src/commands/verify-log.command.js';
import { runCliInProcess } from '../harness/cli-in-process.js';

/**
 * `verify log` parsed its own arguments: a repeated `--checkpoint` silently meant the last one, where
 * every other command refuses an option given twice. The database is a closed port: a refusal must
 * come from the arguments alone, before anything is opened or read.
 */
const verifyLog = (args: string[], dataDir: string) =>
  runCliInProcess(run, args, {
    DATA_DIR: dataDir,
    DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
    AUTH_JWT_SECRET: 'verify-log-args-secret-0123456789',
  });

describe('npm run cli -- verify log: its options follow the shared rule', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'verify-log-args-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it.each([
    [['--checkpoint', 'old.txt', '--checkpoint', 'new.txt'], '--checkpoint is given twice'],
    [['--checkpoint=old.txt', '--checkpoint', 'new.txt'], '--checkpoint is given twice'],
    [['--checkpoint', 'cp.txt', '--key', 'a+1+x', '--key', 'b+2+y'], '--key is given twice'],
    [[], '--checkpoint <file> is required'],
    [['--key', 'a+1+x'], '--checkpoint <file> is required'],
    [['--checkpoint'], "Option '--checkpoint <value>' argument missing"],
    [['--checkpoint', 'cp.txt', '--since', '3'], "Unknown option '--since'"],
    [['--checkpoint', 'cp.txt', 'extra'], 'unexpected argument extra'],
    [['--checkpoint', 'cp.txt', '--key', ''], '--key must not be empty'],
    [['--checkpoint', '', '--key', 'a+1+x'], '--checkpoint must not be empty'],
    // found by probing: a mistyped key was reported once the database was open, exit 1, as a failure
    [
      ['--checkpoint', 'cp.txt', '--key', 'a+1+x'],
      '--key is not a verifier key (malformed verifier key)',
    ],
    [
      ['--checkpoint', 'cp.txt', '--key', 'PRIVATE+KEY+a+00000000+AQ=='],
      '--key is not a verifier key (malformed verifier key)',
    ],
  ])('given %j, then it names the problem, exits 2 and reads nothing', async (args, message) => {
    // when verify log runs with these arguments
    const result = await verifyLog(args, dataDir);

    // then
    expect({ code: result.code, out: result.out }).toEqual({ code: 2, out: '' });
    expect(result.err).toContain(`verify log: ${message}`);
    expect(result.err).toContain('usage: verify log --checkpoint <file> [--key <verifier key>]');
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('prints its usage for --help, exit 0', async () => {
    const result = await verifyLog(['--help'], dataDir);
    expect(result.code).toBe(0);
    expect(result.out).toContain('usage: verify log --checkpoint <file>');
  });
});
