import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../apps/cli/src/commands/seed-synthetic.command.js';
import { runCliInProcess } from '../harness/cli-in-process.js';

/**
 * Runs `seed synthetic` in-process, capturing what it prints. The database is a closed port: a
 * refusal must come from the arguments alone, before anything is opened, let alone written.
 */
const seedSynthetic = (args: string[], dataDir: string) =>
  runCliInProcess(run, args, {
    DATA_DIR: dataDir,
    DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
    AUTH_JWT_SECRET: 'seed-args-secret-0123456789abcdef',
  });

describe('npm run cli -- seed synthetic: its numbers, refused before anything is written', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'seed-args-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it.each([
    [['--events', '99999999999999'], '--events must be a whole number from 1 to 100000000'],
    [['--events', '100000001'], '--events must be a whole number from 1 to 100000000'],
    [['--events', '0'], '--events must be a whole number from 1 to 100000000'],
    [['--events', '-5'], '--events must be a whole number from 1 to 100000000'],
    [['--events', '1e3'], '--events must be a whole number from 1 to 100000000'],
    [[], '--events N is required: a whole number from 1 to 100000000'],
    [['--events', '10', '--seed', '-1'], '--seed must be a whole number from 0 to 4294967295'],
    [['--events', '10', '--seed', '4294967296'], '--seed must be a whole number from 0 to'],
    [['--events', '10', '--seed', '5', '--seed', '6'], '--seed is given twice'],
    [['--events', '10', '--events=20'], '--events is given twice'],
    [['--events', '10', '--resume=yes'], "Option '--resume' does not take an argument"],
    [['--events', '10', '--resume', '--resume'], '--resume is given twice'],
  ])(
    'given %j, then it names the option and its range, exits 2 and writes nothing',
    async (args, message) => {
      // when seed synthetic runs with these arguments
      const result = await seedSynthetic(args, dataDir);

      // then
      expect({ code: result.code, out: result.out }).toEqual({ code: 2, out: '' });
      expect(result.err).toContain(`seed synthetic: ${message}`);
      expect(result.err).toContain('usage: seed synthetic');
      expect(readdirSync(dataDir)).toEqual([]); // not even a secret or a key file
    },
  );
});
