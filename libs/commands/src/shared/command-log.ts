import { Inject, Injectable } from '@nestjs/common';
import { Conflict } from '#domain';
import type { CommandResult } from './command-result.js';
import { COMMAND_DB, type CommandDatabase } from './command-database.js';

export type Claim =
  | { kind: 'owned' } // we inserted the row: release it if the command is refused
  | { kind: 'shared' } // an identical command is in flight or crashed half-way: proceed, the store dedupes
  | { kind: 'done'; result: CommandResult };

/** After this long an unfinished claim is taken to be a crash leftover and may be taken over. */
const staleClaimSeconds = 60;

/**
 * The idempotency log of API.md: one row per command key with the hash of its body and, once the
 * append succeeded, its result. The append is the event store's own transaction, so the row is
 * claimed before deciding and completed after appending; if a crash falls in between, the events
 * carry ids derived from the command key and the next attempt finds them (see CommandRunner).
 */
@Injectable()
export class CommandLog {
  constructor(@Inject(COMMAND_DB) private readonly db: CommandDatabase) {}

  async claim(key: string, route: string, hash: string): Promise<Claim> {
    const inserted = await this.db.pool.query(
      `INSERT INTO command_log (command_key, route, body_hash) VALUES ($1, $2, $3)
       ON CONFLICT (command_key) DO NOTHING RETURNING command_key`,
      [key, route, hash],
    );
    if (inserted.rowCount === 1) return { kind: 'owned' };
    const { rows } = await this.db.pool.query<{
      body_hash: string;
      result: CommandResult | null;
      stale: boolean;
    }>(
      `SELECT body_hash, result, claimed_at < now() - make_interval(secs => $2) AS stale
         FROM command_log WHERE command_key = $1`,
      [key, staleClaimSeconds],
    );
    const row = rows[0];
    if (!row) return this.claim(key, route, hash); // released meanwhile: try again
    if (row.result && row.body_hash === hash) {
      const { id, streamId, version, position } = row.result; // jsonb reorders keys: answer in the usual order
      return { kind: 'done', result: { id, streamId, version, position } };
    }
    if (row.body_hash !== hash && (row.result || !row.stale)) {
      throw new Conflict(
        'command_id_reused',
        `command id already used with a different body (${key})`,
      );
    }
    if (row.body_hash !== hash) {
      // A crash leftover that recorded nothing: the id is free again.
      await this.db.pool.query(
        'UPDATE command_log SET body_hash = $2, claimed_at = now() WHERE command_key = $1',
        [key, hash],
      );
      return { kind: 'owned' };
    }
    return { kind: 'shared' };
  }

  async complete(key: string, route: string, hash: string, result: CommandResult): Promise<void> {
    await this.db.pool.query(
      `INSERT INTO command_log (command_key, route, body_hash, result, completed_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (command_key) DO UPDATE SET result = EXCLUDED.result, completed_at = now()
       WHERE command_log.result IS NULL`,
      [key, route, hash, JSON.stringify(result)],
    );
  }

  /** A refused command leaves nothing behind, not even its claim: the client may fix the body and resend. */
  async release(key: string): Promise<void> {
    await this.db.pool.query('DELETE FROM command_log WHERE command_key = $1 AND result IS NULL', [
      key,
    ]);
  }
}
