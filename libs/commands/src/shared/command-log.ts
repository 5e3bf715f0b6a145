import { Inject, Injectable } from '@nestjs/common';
import { Conflict } from '#domain';
import { APP_CONFIG, derivedKey, type AppConfig } from '#platform';
import { bodyHash, bodyHashPrefix, keyedDigest } from './command-id.js';
import type { CommandResult } from './command-result.js';
import { COMMAND_DB, type CommandDatabase } from './command-database.js';

export type Claim =
  | { kind: 'owned' } // we inserted the row: release it if the command is refused
  | { kind: 'shared' } // an identical command is in flight or crashed half-way: proceed, the store dedupes
  | { kind: 'done'; result: CommandResult };

/** After this long an unfinished claim is taken to be a crash leftover and may be taken over. */
const staleClaimSeconds = 60;

/**
 * The body hash of a command whose data subject was erased. Such a command answers its first result
 * whatever body comes with a resend: comparing bodies would tell "201, that was the name" from "409,
 * it was not" (a name oracle), and keeping the hash would let anyone holding the secret do the same.
 */
export const forgottenBody = 'forgotten';

/**
 * The idempotency log of API.md: one row per command key with the hash of its body and, once the
 * append succeeded, its result. The append is the event store's own transaction, so the row is
 * claimed before deciding and completed after appending; if a crash falls in between, the events
 * carry ids derived from the command key and the next attempt finds them (see CommandRunner).
 */
@Injectable()
export class CommandLog {
  private readonly key: Buffer;

  constructor(
    @Inject(COMMAND_DB) private readonly db: CommandDatabase,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.key = derivedKey(config.jwtSecret, 'command-log-body');
  }

  /** The keyed hash of a request, as this log stores and compares it. */
  hash(request: unknown): string {
    return bodyHash(request, this.key);
  }

  /**
   * `subject`: the data subject whose personal data the body carries (an enrolled member, a citizen
   * helped), so that erasing them can forget the body (`forgetSubject`).
   */
  async claim(key: string, route: string, hash: string, subject?: string): Promise<Claim> {
    const inserted = await this.db.pool.query(
      `INSERT INTO command_log (command_key, route, body_hash, subject) VALUES ($1, $2, $3, $4)
       ON CONFLICT (command_key) DO NOTHING RETURNING command_key`,
      [key, route, hash, subject ?? null],
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
    if (!row) return this.claim(key, route, hash, subject); // released meanwhile: try again
    const same = row.body_hash === hash || row.body_hash === forgottenBody;
    if (row.result && same) {
      const { id, streamId, version, position } = row.result; // jsonb reorders keys: answer in the usual order
      return { kind: 'done', result: { id, streamId, version, position } };
    }
    if (!same && (row.result || !row.stale)) {
      throw new Conflict(
        'command_id_reused',
        `command id already used with a different body (${key})`,
      );
    }
    if (!same) {
      // A crash leftover that recorded nothing: the id is free again.
      await this.db.pool.query(
        'UPDATE command_log SET body_hash = $2, claimed_at = now() WHERE command_key = $1',
        [key, hash],
      );
      return { kind: 'owned' };
    }
    return { kind: 'shared' };
  }

  async complete(
    key: string,
    route: string,
    hash: string,
    result: CommandResult,
    subject?: string,
  ): Promise<void> {
    await this.db.pool.query(
      `INSERT INTO command_log (command_key, route, body_hash, result, completed_at, subject)
       VALUES ($1, $2, $3, $4, now(), $5)
       ON CONFLICT (command_key) DO UPDATE SET result = EXCLUDED.result, completed_at = now()
       WHERE command_log.result IS NULL`,
      [key, route, hash, JSON.stringify(result), subject ?? null],
    );
  }

  /** At an erasure: the subject's commands keep their results but no trace of their bodies. */
  async forgetSubject(subject: string): Promise<void> {
    await this.db.pool.query('UPDATE command_log SET body_hash = $2 WHERE subject = $1', [
      subject,
      forgottenBody,
    ]);
  }

  /**
   * Once at start: rows written before the hash was keyed hold a plain SHA-256; each is replaced by
   * its keyed digest (the same value `hash` now gives for that body, so resends still match), and the
   * enrolments of members erased before then are forgotten. Idempotent; a few hundred rows per query.
   */
  async upgradeLegacyRows(): Promise<void> {
    for (;;) {
      const { rows } = await this.db.pool.query<{ command_key: string; body_hash: string }>(
        `SELECT command_key, body_hash FROM command_log
          WHERE body_hash NOT LIKE $1 AND body_hash <> $2 LIMIT 500`,
        [`${bodyHashPrefix}%`, forgottenBody],
      );
      if (!rows.length) break;
      await this.db.pool.query(
        `UPDATE command_log c SET body_hash = u.hash FROM unnest($1::text[], $2::text[]) AS u(key, hash)
          WHERE c.command_key = u.key`,
        [rows.map((r) => r.command_key), rows.map((r) => keyedDigest(r.body_hash, this.key))],
      );
    }
    // An enrolment's subject is its member (see memberSubject); the erasures are the vault's record.
    await this.db.pool.query(
      `UPDATE command_log SET subject = 'member-' || substr(command_key, length('POST /members ') + 1)
        WHERE subject IS NULL AND command_key LIKE 'POST /members %'`,
    );
    const { rows } = await this.db.pool.query<{ exists: boolean }>(
      `SELECT to_regclass('personal_data_erasures') IS NOT NULL AS exists`,
    );
    if (rows[0]?.exists)
      await this.db.pool.query(
        `UPDATE command_log c SET body_hash = $1 FROM personal_data_erasures e
          WHERE c.subject = e.subject_id AND c.body_hash <> $1`,
        [forgottenBody],
      );
  }

  /** A refused command leaves nothing behind, not even its claim: the client may fix the body and resend. */
  async release(key: string): Promise<void> {
    await this.db.pool.query('DELETE FROM command_log WHERE command_key = $1 AND result IS NULL', [
      key,
    ]);
  }
}
