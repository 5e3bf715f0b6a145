import { renameSync, writeFileSync } from 'node:fs';
import { parseSignerKey } from '#event-store';
import { openCliContext, requireMigrated } from '#platform';
import { auditLogSchema, CheckpointsStore, MerkleTreeStore, verifyLog } from '#projections';
import { parseCommand, verifierKeyProblem } from '../cli-args.js';
import { terminalText } from '../terminal-text.js';
import { readTextFile } from '../text-file.js';

export const usage = `usage: verify log --checkpoint <file> [--key <verifier key>] [--keep]

  Recomputes every leaf of the stored log up to the checkpoint's size from the stored events, compares
  the root with the checkpoint's, and proves the latest signed checkpoint consistent with it; exits 1
  naming the first leaf that differs. Without --key, the key of the configured signer is trusted.
  --keep: once all holds, the file takes the latest checkpoint proven consistent with it, so that the
  next run holds the log to that one (a log rolled back past it, or forked, then fails).`;

/**
 * `verify log --checkpoint <file>`: the stored log against a checkpoint kept earlier. Without --key,
 * the verifier key of the configured signer is trusted (an auditor passes the key they keep).
 */
export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand(
    'verify log',
    usage,
    args,
    { checkpoint: { type: 'string' }, key: { type: 'string' }, keep: { type: 'boolean' } },
    ({ values, positionals }) =>
      positionals.length
        ? `unexpected argument ${positionals[0]}`
        : values.checkpoint === undefined
          ? '--checkpoint <file> is required'
          : values.checkpoint === ''
            ? '--checkpoint must not be empty: the file of a checkpoint kept earlier'
            : values.key === ''
              ? '--key must not be empty: the verifier key you trust'
              : values.key === undefined
                ? undefined
                : verifierKeyProblem(values.key),
  );
  if (typeof parsed === 'number') return parsed;
  const file = parsed.values.checkpoint!;
  let note: string;
  try {
    note = readTextFile(file);
  } catch (error) {
    // read before the database is opened: a file that cannot be read needs no log to refuse
    process.stdout.write(
      `FAILED cannot read the checkpoint: ${terminalText((error as Error).message)}\n`,
    );
    return 1;
  }
  const context = await openCliContext(process.env, { existingOnly: true });
  try {
    await requireMigrated(context.pool, context.config, auditLogSchema);
    const signingKey = context.config.auditSigningKey;
    if (parsed.values.key === undefined && signingKey === undefined) {
      process.stderr.write(
        `verify log: no --key, and no signing key is configured (AUDIT_SIGNING_KEY, or ` +
          `audit-signing-key in ${context.config.dataDir}): pass the verifier key you trust\n${usage}\n`,
      );
      return 2;
    }
    const key = parsed.values.key ?? parseSignerKey(signingKey!).verifierKey;
    // the stored tree and checkpoints, read only (the server's AuditLogRunner writes them)
    const tree = new MerkleTreeStore(context.pool);
    const result = await verifyLog(
      {
        readFeed: (from, maxCount) => context.store.readAll({ fromPosition: from, maxCount }),
        tree,
        checkpoints: new CheckpointsStore(context.pool, tree),
      },
      note,
      key,
    );
    if (!result.ok) {
      // the failure names ids and an origin read from the database and the checkpoints, which
      // whoever rewrote the log chose
      process.stdout.write(`FAILED ${terminalText(result.failure ?? '')}\n`);
      return 1;
    }
    process.stdout.write(
      `OK ${result.treeSize} leaves recomputed from the stored events match the checkpoint; ` +
        `the latest checkpoint (size ${result.latestSize}) is consistent with it\n`,
    );
    if (
      parsed.values.keep &&
      result.latestNote !== undefined &&
      result.latestSize! > result.treeSize
    ) {
      // written beside the file and renamed over it: an interrupted run leaves the old checkpoint,
      // never half of the new one
      const next = `${file}.${process.pid}.tmp`;
      writeFileSync(next, result.latestNote);
      renameSync(next, file);
      process.stdout.write(
        `kept the checkpoint of size ${result.latestSize} in ${terminalText(file)}\n`,
      );
    }
    return 0;
  } finally {
    await context.close();
  }
}
