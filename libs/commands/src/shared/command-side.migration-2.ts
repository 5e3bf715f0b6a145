/**
 * Migration 2 of the command side (issue 11), listed in `command-schema.ts` after migration 1 (the
 * schema the command side had before): idempotent, like every migration the runner applies.
 *
 * - `cmd_campaigns` and `cmd_members` were written and never read (a decision folds a campaign or a
 *   member from its own stream): dropped, with the directory checkpoint's events for them.
 * - The command log's row is now written with the events, complete: claims without a result exist
 *   only in databases written by the two-step log, and are taken over by the next command with their
 *   key (`CommandLog.record`).
 * - The per-member guard of the overlap rule is a transaction advisory lock on the member taken in the
 *   transaction of the append (`CommandHandling`): no table, so nothing here.
 */
export const commandSideMigration2 = `
DROP TABLE IF EXISTS cmd_campaigns;
DROP TABLE IF EXISTS cmd_members;
`;
