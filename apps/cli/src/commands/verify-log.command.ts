import { readFileSync } from 'node:fs';
import { parseSignerKey } from '#event-store';
import { openCliContext } from '#platform';
import { AuditLogRunner, migrateAuditLog, verifyLog } from '#projections';
import { parseCommand } from '../cli-args.js';

export const usage = `usage: verify log --checkpoint <file> [--key <verifier key>]

  Recomputes every leaf of the stored log up to the checkpoint's size from the stored events, compares
  the root with the checkpoint's, and proves the latest signed checkpoint consistent with it; exits 1
  naming the first leaf that differs. Without --key, the key of the configured signer is trusted.`;

/**
 * `verify log --checkpoint <file>`: the stored log against a checkpoint kept earlier. Without --key,
 * the verifier key of the configured signer is trusted (an auditor passes the key they keep).
 */
export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand(
    'verify log',
    usage,
    args,
    { checkpoint: { type: 'string' }, key: { type: 'string' } },
    ({ values, positionals }) =>
      positionals.length
        ? `unexpected argument ${positionals[0]}`
        : values.checkpoint === undefined
          ? '--checkpoint <file> is required'
          : undefined,
  );
  if (typeof parsed === 'number') return parsed;
  const file = parsed.values.checkpoint!;
  const note = readFileSync(file, 'utf8');
  const context = await openCliContext(process.env, { existingOnly: true });
  try {
    await migrateAuditLog(context.pool);
    const log = new AuditLogRunner(context.pool, context.store, {
      signingKey: context.config.auditSigningKey,
      origin: context.config.auditLogOrigin,
      checkpointIntervalMs: context.config.auditCheckpointIntervalMs,
    });
    const key = parsed.values.key ?? parseSignerKey(context.config.auditSigningKey).verifierKey;
    const result = await verifyLog(
      {
        readFeed: (from, maxCount) => context.store.readAll({ fromPosition: from, maxCount }),
        tree: log.tree,
        checkpoints: log.checkpoints,
      },
      note,
      key,
    );
    if (!result.ok) {
      process.stdout.write(`FAILED ${result.failure}\n`);
      return 1;
    }
    process.stdout.write(
      `OK ${result.treeSize} leaves recomputed from the stored events match the checkpoint; ` +
        `the latest checkpoint (size ${result.latestSize}) is consistent with it\n`,
    );
    return 0;
  } finally {
    await context.close();
  }
}
