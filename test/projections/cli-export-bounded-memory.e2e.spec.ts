import { run as exportCommand } from '../../apps/cli/src/commands/export.command.js';
import { runCliInProcess } from '../harness/cli-in-process.js';
import { runBuiltCli, seededProvince, type SeededProvince } from './support/export-province.js';

/** A V8 heap the CLI starts and exports a page of shifts in, far below what a whole trail takes. */
const HEAP_MB = 48;

/**
 * `export audit` read a scope's whole trail into memory and built the whole document before writing
 * a byte: a province of a million events (105,217 shifts) took 988 MB, and ten times that log would
 * not fit a default heap. 9,055 shifts already ran out of a 48 MB heap. It now reads a page of shifts
 * at a time from one cursor and writes each page out before reading the next.
 */
describe('export audit of a large scope', () => {
  let seeded: SeededProvince;
  let env: Record<string, string>;
  let province: string;

  beforeAll(async () => {
    // given a generated province of about ten thousand shifts
    seeded = await seededProvince('cli_export_bounded', 100000, 5);
    ({ env, province } = seeded);
  }, 600_000);
  afterAll(async () => {
    await seeded?.drop();
  });

  it.each(['csv', 'json'])(
    'writes the whole %s export of the province within a small heap',
    async (format) => {
      const args = ['audit', '--unit', province, '--format', format];
      const whole = await runCliInProcess(exportCommand, args, env);
      expect(whole.code).toBe(0);
      const shifts = Number(/export: (\d+) shifts/.exec(whole.err)![1]);
      expect(shifts).toBeGreaterThan(9_000);

      // when the built CLI exports it with a V8 heap of 48 MB
      const bounded = await runBuiltCli(['export', ...args], env, { heapMb: HEAP_MB });

      // then it does not run out of memory: it exits 0 and the reader gets the same document
      expect(bounded.err).not.toMatch(/heap out of memory/);
      expect(bounded.code).toBe(0);
      expect(bounded.err).toContain(`export: ${shifts} shifts`);
      expect(bounded.out.toString('utf8')).toBe(whole.out);
    },
    300_000,
  );
});
