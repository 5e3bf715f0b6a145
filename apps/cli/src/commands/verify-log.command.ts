import { readFileSync } from 'node:fs';
import { parseSignerKey } from '#event-store';
import { openCliContext } from '#platform';
import { AuditLogRunner, migrateAuditLog, verifyLog } from '#projections';

export const VERIFY_LOG_USAGE = 'verify log --checkpoint <file> [--key <verifier key>]';

/**
 * `verify log --checkpoint <file>`: the stored log against a checkpoint kept earlier. Without --key,
 * the verifier key of the configured signer is trusted (an auditor passes the key they keep).
 */
export async function run(args: string[]): Promise<number> {
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    if (!['--checkpoint', '--key'].includes(args[i]!) || args[i + 1] === undefined) {
      process.stderr.write(`usage: ${VERIFY_LOG_USAGE}\n`);
      return 2;
    }
    options.set(args[i]!, args[i + 1]!);
  }
  const file = options.get('--checkpoint');
  if (!file) {
    process.stderr.write(`usage: ${VERIFY_LOG_USAGE}\n`);
    return 2;
  }
  const note = readFileSync(file, 'utf8');
  const context = await openCliContext(process.env, { existingOnly: true });
  try {
    await migrateAuditLog(context.pool);
    const log = new AuditLogRunner(context.pool, context.store, {
      signingKey: context.config.auditSigningKey,
      origin: context.config.auditLogOrigin,
      checkpointIntervalMs: context.config.auditCheckpointIntervalMs,
    });
    const key = options.get('--key') ?? parseSignerKey(context.config.auditSigningKey).verifierKey;
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
