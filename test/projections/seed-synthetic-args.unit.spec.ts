import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../apps/cli/src/commands/seed-synthetic.command.js';

/**
 * Runs `seed synthetic` in-process, capturing what it prints. The database is a closed port: a
 * refusal must come from the arguments alone, before anything is opened, let alone written.
 */
async function seedSynthetic(args: string[], dataDir: string) {
  const saved = { ...process.env };
  Object.assign(process.env, {
    DATA_DIR: dataDir,
    DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
    AUTH_JWT_SECRET: 'seed-args-secret-0123456789abcdef',
  });
  let out = '';
  let err = '';
  const write = {
    out: process.stdout.write.bind(process.stdout),
    err: process.stderr.write.bind(process.stderr),
  };
  process.stdout.write = ((chunk: string) => ((out += chunk), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => ((err += chunk), true)) as typeof process.stderr.write;
  try {
    return { code: await run(args), out, err };
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
    process.env = saved;
  }
}

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
