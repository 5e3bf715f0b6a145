import { run as exportCommand } from '../../apps/cli/src/commands/export.command.js';
import { runCliInProcess } from '../harness/cli-in-process.js';
import { runBuiltCli, seededProvince, type SeededProvince } from './support/export-province.js';

/**
 * `export audit` wrote its whole answer with one write and exited at once: to a file it arrived whole,
 * but to a pipe only what the pipe took before the exit (64 KiB through `npm run`), and the command
 * still exited 0. An auditor's script reading it got a cut CSV or JSON that no parser takes.
 */
describe('export audit written to a pipe', () => {
  let seeded: SeededProvince;
  let env: Record<string, string>;
  let province: string;

  beforeAll(async () => {
    // given a generated province whose export runs to hundreds of kilobytes
    seeded = await seededProvince('cli_export_piped', 20000, 4);
    ({ env, province } = seeded);
  }, 300_000);
  afterAll(async () => {
    await seeded?.drop();
  });

  it.each(['json', 'csv'])(
    'hands the reader the whole %s export and exits 0',
    async (format) => {
      const args = ['audit', '--unit', province, '--format', format];
      const whole = await runCliInProcess(exportCommand, args, env);
      expect(whole.code).toBe(0);
      expect(Buffer.byteLength(whole.out)).toBeGreaterThan(500_000);

      // when the built CLI writes the same export into a pipe
      const piped = await runBuiltCli(['export', ...args], env);

      // then the reader gets every byte of it, and the command says it succeeded
      expect(piped.code).toBe(0);
      expect(piped.out.toString('utf8')).toBe(whole.out);
    },
    120_000,
  );

  it('stops quietly, not with exit 0, when the reader leaves early (| head)', async () => {
    // when the reader closes the pipe after the first 100 kB
    const piped = await runBuiltCli(
      ['export', 'audit', '--unit', province, '--format', 'json'],
      env,
      { stopAfter: 100_000 },
    );

    // then the command ends as SIGPIPE ends a Unix tool, without an unhandled error's stack
    expect(piped.code).toBe(141);
    expect(piped.err).not.toMatch(/Unhandled 'error' event|EPIPE/);
  }, 120_000);

  // Found by probing a million-event province: a pipe's stdout is never destroyed by EPIPE and its
  // writes go on succeeding, so `| head -5` read and formatted the whole trail (21 s) and then said
  // "export: 105217 shifts", which read as the export having been taken whole.
  it('stops reading when the reader leaves, and does not count shifts nobody took', async () => {
    // when the reader closes the pipe after the first 100 kB of the CSV
    const piped = await runBuiltCli(['export', 'audit', '--unit', province], env, {
      stopAfter: 100_000,
    });

    // then the command ends there, without the count of the whole trail
    expect(piped.code).toBe(141);
    expect(piped.err).not.toMatch(/export: \d+ shifts/);
  }, 120_000);
});
