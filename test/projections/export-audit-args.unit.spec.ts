import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../apps/cli/src/commands/export.command.js';
import { runCliInProcess } from '../harness/cli-in-process.js';

/**
 * `export audit` parsed its own arguments: `--member a --member b` silently exported b alone, where
 * every other command refuses an option given twice. The database is a closed port: a refusal must
 * come from the arguments alone, before anything is opened or read.
 */
const exportAudit = (args: string[], dataDir: string) =>
  runCliInProcess(run, args, {
    DATA_DIR: dataDir,
    DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
    AUTH_JWT_SECRET: 'export-args-secret-0123456789abcdef',
  });

describe('npm run cli -- export audit: its options follow the shared rule', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'export-args-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it.each([
    [['audit', '--member', 'm-1', '--member', 'm-2'], '--member is given twice'],
    [['audit', '--unit=u-1', '--unit', 'u-2'], '--unit is given twice'],
    [
      ['audit', '--member', 'm-1', '--from', '2025-08-01', '--from', '2025-09-01'],
      '--from is given twice',
    ],
    [
      ['audit', '--member', 'm-1', '--format', 'json', '--format', 'csv'],
      '--format is given twice',
    ],
    [
      ['audit', '--member', 'm-1', '--unit', 'u-1'],
      'give exactly one of --member, --unit or --campaign',
    ],
    [['audit'], 'give exactly one of --member, --unit or --campaign'],
    [['hours', '--member', 'm-1'], 'the only export is "export audit"'],
    [['audit', '--member', 'm-1', '--format', 'xml'], '--format is csv or json'],
    [['audit', '--member'], "Option '--member <value>' argument missing"],
    // found by probing: `--member "$M"` with M unset opened the database to say "member  is not
    // registered"
    [['audit', '--member', ''], '--member must not be empty'],
    [['audit', '--campaign', ' '], '--campaign must not be empty'],
  ])('given %j, then it names the problem, exits 2 and reads nothing', async (args, message) => {
    // when export runs with these arguments
    const result = await exportAudit(args, dataDir);

    // then
    expect({ code: result.code, out: result.out }).toEqual({ code: 2, out: '' });
    expect(result.err).toContain(`export: ${message}`);
    expect(result.err).toContain(
      'usage: export audit (--member <id> | --unit <id> | --campaign <id>)',
    );
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('prints its usage for --help, exit 0', async () => {
    const result = await exportAudit(['audit', '--help'], dataDir);
    expect(result.code).toBe(0);
    expect(result.out).toContain('usage: export audit');
  });

  // Found by probing: a bad period named the HTTP query parameter, "export: tz must be an IANA time
  // zone", where the command's option is --tz.
  it.each([
    [['--from', '2025-13-01'], 'export: --from must be'],
    [['--to', 'tomorrow'], 'export: --to must be'],
    [['--tz', 'Mars/Base'], 'export: --tz must be an IANA time zone'],
  ])('given %j, then it names the option, exits 2 and reads nothing', async (period, message) => {
    const result = await exportAudit(['audit', '--member', 'm-1', ...period], dataDir);

    expect({ code: result.code, out: result.out }).toEqual({ code: 2, out: '' });
    expect(result.err).toContain(message);
    expect(readdirSync(dataDir)).toEqual([]);
  });
});
