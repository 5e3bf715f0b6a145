import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run as verifyLog } from '../../apps/cli/src/commands/verify-log.command.js';
import { runCliInProcess } from '../harness/cli-in-process.js';
import { tamperFixture } from './log-tamper-kit.js';

/**
 * Found by probing `verify log` as the operator who rolls the log back: an auditor keeps checkpoint
 * C1, `verify log` proves the later C2 consistent with it, and the operator then restores the database
 * as it was at C1 (events, tree and checkpoints). Held to C1 again, the log passed: the command kept
 * nothing of C2, which it had proven and which the auditor never got hold of, so the rollback went
 * unnoticed. With --keep, the file takes the latest checkpoint proven consistent, and the next run holds
 * the log to that.
 */
describe('npm run cli -- verify log --checkpoint <file> --keep', () => {
  let f: Awaited<ReturnType<typeof tamperFixture>>;
  let dir: string;
  const env = () => ({
    DATABASE_URL: f.url,
    DATA_DIR: dir,
    AUTH_JWT_SECRET: 'cli-keep-secret-0123456789abcdef',
    AUDIT_SIGNING_KEY: f.signingKey,
  });
  const run = (args: string[]) => runCliInProcess(verifyLog, args, env());

  beforeAll(async () => {
    // given a log with the auditor's checkpoint C1 and a later one, C2
    f = await tamperFixture('tlog_keep', 120);
    dir = mkdtempSync(join(tmpdir(), 'tlog-keep-'));
  });
  afterAll(async () => {
    await f?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the later checkpoint it proved, and then refuses the log rolled back to before it', async () => {
    const kept = join(dir, 'kept.txt');
    const plain = join(dir, 'plain.txt');
    writeFileSync(kept, f.held.note);
    copyFileSync(kept, plain);
    const latest = (await f.log.checkpoints.latest())!;
    expect(latest.treeSize).toBeGreaterThan(f.held.treeSize);

    // when the auditor verifies the log with --keep
    const first = await run(['--checkpoint', kept, '--keep']);

    // then it passes and the file now holds C2, exactly as signed
    expect(first.code).toBe(0);
    expect(first.out).toContain(`kept the checkpoint of size ${latest.treeSize} in ${kept}`);
    expect(readFileSync(kept, 'utf8')).toBe(latest.note);

    // given the operator restores the database as it was at C1
    const n = f.held.treeSize;
    const { rows } = await f.pool.query<{ global_position: string }>(
      'SELECT global_position FROM audit_log_leaves WHERE leaf_index = $1',
      [n - 1],
    );
    const position = rows[0]!.global_position;
    await f.pool.query('DELETE FROM events WHERE global_position > $1', [position]);
    await f.pool.query('DELETE FROM audit_log_leaves WHERE leaf_index >= $1', [n]);
    await f.pool.query('DELETE FROM audit_log_hashes WHERE (idx + 1) * (2 ^ level)::bigint > $1', [
      n,
    ]);
    await f.pool.query('DELETE FROM audit_log_checkpoints WHERE tree_size > $1', [n]);
    await f.pool.query('UPDATE audit_log_state SET tree_size = $1, position = $2', [n, position]);

    // when the log is verified again: against C1 it passes, as API.md promises of a kept checkpoint
    const againstC1 = await run(['--checkpoint', plain]);
    expect(againstC1.code).toBe(0);

    // but against the kept C2 it fails, naming the rollback, and the kept file is left as it was
    const againstKept = await run(['--checkpoint', kept, '--keep']);
    expect(againstKept.out).toMatch(
      new RegExp(`^FAILED the log holds ${n} events, the checkpoint ${latest.treeSize}: `),
    );
    expect(againstKept.code).toBe(1);
    expect(readFileSync(kept, 'utf8')).toBe(latest.note);
  });
});
