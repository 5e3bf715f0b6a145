import { Inject, Injectable } from '@nestjs/common';
import { Conflict } from '#domain';
import type { AlongsideRow } from '#event-store';
import { APP_CONFIG, derivedKey, type AppConfig } from '#platform';
import { bodyHash, bodyHashPrefix, keyedDigest } from './command-id.js';
import type { CommandResult } from './command-result.js';
import { COMMAND_DB, type CommandDatabase } from './command-database.js';

/**
 * The body hash of a command whose data subject was erased. Such a command answers its first result
 * whatever body comes with a resend: comparing bodies would tell "201, that was the name" from "409,
 * it was not" (a name oracle), and keeping the hash would let anyone holding the secret do the same.
 */
export const forgottenBody = 'forgotten';

/** A body hash as written to the log: forgotten when its data subject is erased already. */
const bodyHashUnlessErased = (hash: string, subject: string) =>
  `CASE WHEN EXISTS (SELECT 1 FROM personal_data_erasures WHERE subject_id = ${subject}::text)
        THEN '${forgottenBody}' ELSE ${hash}::text END`;

/**
 * The idempotency log of API.md: one row per command key with the keyed hash of its body and its
 * result. The row is written by the statement that appends the command's events (`rowFor`, see
 * CommandHandling), so a command is recorded with its events or not at all, and the common case costs
 * no round trip of its own. It is read only on the slow path: when the decider refuses a command or its events are already
 * stored, `find` tells a resend (its first result) from a reused id (409). A refused command leaves
 * no row: the client may fix the body and resend.
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
   * The first result of the command `key` when it was recorded with this body (or with a body forgotten
   * since, resent to the same stream); 409 when it was recorded with another body; undefined when it
   * was not recorded (a row without a result is a claim an earlier, two-step version of this log left
   * behind). A forgotten body cannot be compared, but its stream can: the same id sent for another
   * stream (an assistance id on another shift) is another command, whoever sends it, not a resend.
   */
  async find(key: string, hash: string, resentTo: string): Promise<CommandResult | undefined> {
    const row = await this.row(key);
    if (!row?.result) return undefined;
    const forgotten = row.body_hash === forgottenBody && row.result.streamId === resentTo;
    if (row.body_hash !== hash && !forgotten)
      throw new Conflict(
        'command_id_reused',
        `command id already used with a different body (${key})`,
      );
    const { id, streamId, version, position } = row.result; // jsonb reorders keys: answer in the usual order
    return { id, streamId, version, position };
  }

  /**
   * The result of the command `key` if it was recorded for `streamId` with this body (or one forgotten
   * since); else undefined, never 409: a key an earlier version derived may have been taken by another
   * command since (CommandEnvelope.formerIds), which is not this one's business.
   */
  async findOwn(key: string, hash: string, streamId: string): Promise<CommandResult | undefined> {
    const row = await this.row(key);
    if (row?.result?.streamId !== streamId) return undefined;
    if (row.body_hash !== hash && row.body_hash !== forgottenBody) return undefined;
    const { id, version, position } = row.result;
    return { id, streamId, version, position };
  }

  /**
   * The row of `key`, its body forgotten when its data subject is erased by now. The statement that
   * writes a row forgets the body of a subject erased already (`rowFor`), and an erasure forgets the
   * rows written before it (`forgetSubject`); but an append waits for its stream's lock inside that
   * statement, whose look at the erasures was taken before the wait: an erasure that committed
   * meanwhile, and forgot before that append committed, left its body to compare, and a resend then
   * told the erased citizen's true reference (201) from any guess (409). Such a row is forgotten here.
   */
  private async row(key: string) {
    const { rows } = await this.db.pool.query<{
      body_hash: string;
      result: CommandResult | null;
      erased: boolean;
    }>(
      `SELECT body_hash, result,
              EXISTS (SELECT 1 FROM personal_data_erasures e WHERE e.subject_id = command_log.subject)
                AS erased
         FROM command_log WHERE command_key = $1`,
      [key],
    );
    const row = rows[0];
    if (!row?.erased || row.body_hash === forgottenBody) return row;
    await this.db.pool.query('UPDATE command_log SET body_hash = $2 WHERE command_key = $1', [
      key,
      forgottenBody,
    ]);
    return { ...row, body_hash: forgottenBody };
  }

  /** Whether `key` holds a claim of the two-step log (no result) made with another body. */
  async claimedWithOtherBody(key: string, hash: string): Promise<boolean> {
    const { rows } = await this.db.pool.query<{ body_hash: string }>(
      'SELECT body_hash FROM command_log WHERE command_key = $1 AND result IS NULL',
      [key],
    );
    const claimed = rows[0]?.body_hash;
    return claimed !== undefined && claimed !== hash && claimed !== forgottenBody;
  }

  /**
   * The log row of `key`, for the event store to write with the command's events in one statement
   * (`appendWith`, `appendInTransaction`): its result is the last appended event's version and
   * position. A row already stored under the key makes the statement fail and write nothing.
   * `subject`: the data subject whose personal data the body carries (an enrolled member, a citizen
   * helped), so that erasing them can forget the body (`forgetSubject`); a subject erased already (a
   * citizen helped again after their erasure) has the body forgotten as it is written.
   */
  rowFor(
    key: string,
    command: Readonly<{ route: string; subject?: string; id: string; streamId: string }>,
    hash: string,
  ): AlongsideRow {
    return {
      name: 'command_log',
      text: `INSERT INTO command_log (command_key, route, body_hash, result, completed_at, subject)
             SELECT $a1, $a2, ${bodyHashUnlessErased('$a3', '$a6')},
                    jsonb_build_object('id', $a4::text, 'streamId', $a5::text,
                                       'version', appended.version, 'position', appended.position),
                    now(), $a6
               FROM appended`,
      values: [key, command.route, hash, command.id, command.streamId, command.subject ?? null],
    };
  }

  /** Records a result found after the fact (events stored by an earlier version without their row). */
  async record(
    key: string,
    command: Readonly<{ route: string; subject?: string }>,
    hash: string,
    result: CommandResult,
  ): Promise<void> {
    await this.db.pool.query(
      `INSERT INTO command_log (command_key, route, body_hash, result, completed_at, subject)
       VALUES ($1, $2, ${bodyHashUnlessErased('$3', '$5')}, $4, now(), $5)
       ON CONFLICT (command_key) DO UPDATE
         SET body_hash = EXCLUDED.body_hash, result = EXCLUDED.result, completed_at = now(),
             subject = EXCLUDED.subject
       WHERE command_log.result IS NULL`,
      [key, command.route, hash, JSON.stringify(result), command.subject ?? null],
    );
  }

  /** A claim of the two-step log whose command recorded nothing: the key is free again. */
  async releaseClaim(key: string): Promise<void> {
    await this.db.pool.query('DELETE FROM command_log WHERE command_key = $1 AND result IS NULL', [
      key,
    ]);
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
}
