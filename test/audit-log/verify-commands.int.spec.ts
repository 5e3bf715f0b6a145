import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { personalDataSchema } from '#platform';
import { migrateSchema } from '#schema';
import { run as verify } from '../../apps/cli/src/commands/verify.command.js';
import { projectionsSchema } from '../../libs/projections/src/runner/bookkeeping.schema.js';
import { tamperFixture } from './log-tamper-kit.js';

/**
 * `verify log` as the command line runs it (its own configuration, pool and store), against a
 * database with a kept checkpoint; its output is what an auditor reads.
 */
describe('npm run cli -- verify log --checkpoint <file>', () => {
  let f: Awaited<ReturnType<typeof tamperFixture>>;
  let dir: string;
  let out: string[];
  const env = { ...process.env };

  beforeAll(async () => {
    f = await tamperFixture('tlog_cli', 120);
    dir = mkdtempSync(join(tmpdir(), 'tlog-cli-'));
    writeFileSync(join(dir, 'checkpoint.txt'), f.held.note);
    Object.assign(process.env, {
      DATABASE_URL: f.url,
      DATA_DIR: dir,
      AUTH_JWT_SECRET: 'cli-test-secret-0123456789abcdef',
      AUDIT_SIGNING_KEY: f.signingKey,
    });
  });
  afterAll(async () => {
    process.env = env;
    await f?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  // The command's report is what it writes on stdout (stderr: usage); both are captured per test.
  const stdout = process.stdout.write;
  const stderr = process.stderr.write;
  beforeEach(() => {
    out = [];
    process.stdout.write = ((text: string) => out.push(String(text)) > 0) as typeof stdout;
    process.stderr.write = (() => true) as typeof stderr;
  });
  afterEach(() => {
    process.stdout.write = stdout;
    process.stderr.write = stderr;
  });

  it('exits 0 on the untouched log, saying what it checked', async () => {
    const code = await verify(['log', '--checkpoint', join(dir, 'checkpoint.txt')]);
    expect(out.join('')).toMatch(
      new RegExp(`^OK ${f.held.treeSize} leaves recomputed .* consistent with it\\n$`),
    );
    expect(code).toBe(0);
  });

  it('exits 1 naming the first differing leaf after an event was edited in place', async () => {
    const { rows } = await f.pool.query<{ global_position: string }>(
      'SELECT global_position FROM events ORDER BY global_position OFFSET 42 LIMIT 1',
    );
    await f.pool.query(
      `UPDATE events SET data = data || '{"hours": 99}' WHERE global_position = $1`,
      [rows[0]!.global_position],
    );
    const code = await verify(['log', '--checkpoint', join(dir, 'checkpoint.txt')]);
    expect(out.join('')).toMatch(
      /^FAILED leaf 42 differs: event \S+ \(\S+ version \d+\) no longer hashes/,
    );
    expect(code).toBe(1);
  });

  it('refuses a checkpoint not signed by the trusted key, and a bad usage with 2', async () => {
    const other = `${f.held.note.split('\n\n')[0]}\n\n— tamper.test/log AAAAAAAA\n`;
    writeFileSync(join(dir, 'forged.txt'), other);
    expect(await verify(['log', '--checkpoint', join(dir, 'forged.txt')])).toBe(1);
    expect(out.join('')).toMatch(/^FAILED checkpoint: /);
    expect(await verify(['log'])).toBe(2);
  });

  // Found by probing `verify log` against a database someone rewrote: the failure names the ids it
  // finds there, and an id holding a carriage return and escape sequences redrew the auditor's line,
  // so that a failed check (exit 1) read on a terminal as "OK … leaves recomputed".
  it('prints the ids it finds in the database without a control character', async () => {
    // given an event whose id was rewritten into a carriage return and escape sequences
    const spoof = `\r\u001B[2KOK ${f.held.treeSize} leaves recomputed from the stored events match\u009B1A\u202E`;
    await f.pool.query(
      `UPDATE events SET event_id = event_id || $1
        WHERE global_position = (SELECT global_position FROM events ORDER BY global_position OFFSET 7 LIMIT 1)`,
      [spoof],
    );

    // when the auditor verifies the log
    const code = await verify(['log', '--checkpoint', join(dir, 'checkpoint.txt')]);

    // then it fails on that leaf, and what is printed holds only the escapes of those characters
    expect(code).toBe(1);
    const printed = out.join('');
    expect(printed).toMatch(/^FAILED leaf 7 differs: /);
    expect(printed).toContain('\\u000D\\u001B[2KOK');
    expect(printed.trimEnd()).not.toMatch(/[\p{Cc}\p{Cf}]/u);
  });

  // The same for `verify` (hash chains), which names each stream it finds broken: a stream renamed
  // with a carriage return and escape sequences printed a line a terminal showed as "all intact".
  it('verify names a broken stream without a control character in its id', async () => {
    // given the rest of the schema a server creates, and a stream renamed in the database
    await migrateSchema(f.pool, personalDataSchema, projectionsSchema);
    const spoof = '\r\u001B[2K1 streams, 3 events checked: all hash chains intact\u009B1A';
    await f.pool.query(
      `UPDATE events SET stream_id = stream_id || $1
        WHERE stream_id = (SELECT stream_id FROM events ORDER BY global_position OFFSET 9 LIMIT 1)`,
      [spoof],
    );

    // when the auditor checks every hash chain
    const code = await verify([]);

    // then that stream is named broken with its id escaped, and nothing printed acts on the terminal
    expect(code).toBe(1);
    const printed = out.join('');
    expect(printed).toMatch(/^BROKEN \S+\\u000D\\u001B\[2K1 streams, /m);
    for (const line of printed.trimEnd().split('\n')) expect(line).not.toMatch(/[\p{Cc}\p{Cf}]/u);
  });
});
