import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrateSchema } from '#schema';
import { FreshRead } from '../database/fresh-read.js';
import { personalDataSchema } from './personal-data.schema.js';
import { collectSealed, isSealed, replaceSealed, type SealedValue } from './sealed.js';

const ALGORITHM = 'aes-256-gcm';

export class SubjectErased extends Error {
  constructor(readonly subjectId: string) {
    super(`the personal data of ${subjectId} was erased; nothing new can be stored for it`);
    this.name = 'SubjectErased';
  }
}

/** Opened values kept in memory, at most (a name is a few dozen bytes). */
const MAX_OPENED = 50_000;

/**
 * Crypto-shredding (DESIGN.md "Personal data"): one random AES-256 key per data subject, kept in
 * PostgreSQL beside (not inside) the immutable log. Destroying the key makes every sealed value of
 * that subject unreadable while the events, and their hash chains, stay untouched.
 *
 * Dashboards open the same names on every read (each leaderboard row, each page of members), and
 * opening cost a key lookup and an AES-GCM decryption per name: the largest single item of a read
 * (bench/RESULTS.md). So opened values are kept in this process's memory, never in the database,
 * and only for as long as no subject has been erased since: every `openAll` first reads the count of
 * erasures (one statement shared with whoever asks at the same time, FreshRead) and forgets every
 * opened value when it moved. An erasure committed before a read began, in any process, is therefore
 * seen by that read, exactly as when every name was opened from the keys.
 */
export class PersonalDataVault {
  private readonly erasures: FreshRead<bigint>;
  /** Values opened since the erasure count last moved (null: unreadable), by their sealed form. */
  private opened = { erasures: -1n, values: new Map<string, string | null>() };

  constructor(private readonly pool: pg.Pool) {
    this.erasures = new FreshRead(async () => {
      const { rows } = await this.pool.query<{ erasures: string }>(
        'SELECT erasures::text FROM personal_data_erasure_count',
      );
      return BigInt(rows[0]?.erasures ?? 0);
    });
  }

  /** Applies the vault's migrations not yet applied (#schema; safe from several processes at once). */
  init(): Promise<void> {
    return migrateSchema(this.pool, personalDataSchema);
  }

  /** Encrypts `plaintext` under the subject's key, creating the key on first use. */
  async seal(subjectId: string, plaintext: string): Promise<SealedValue> {
    const key = await this.keyFor(subjectId);
    const iv = randomBytes(12);
    const cipher = createCipheriv(ALGORITHM, key, iv);
    cipher.setAAD(Buffer.from(subjectId)); // binds the ciphertext to its subject
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return {
      $sealed: 1,
      subject: subjectId,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    };
  }

  /** The plaintext, or null when the subject's key was destroyed. Non-sealed values pass through as strings. */
  async open(value: unknown): Promise<string | null> {
    if (!isSealed(value)) return typeof value === 'string' ? value : null;
    const keys = await this.keys([value.subject]);
    return decrypt(value, keys.get(value.subject));
  }

  /** `open` for many values: the ones not opened since the last erasure, with one key lookup for all. */
  async openAll(values: readonly unknown[]): Promise<(string | null)[]> {
    const plain = (value: unknown) => (typeof value === 'string' ? value : null);
    if (!values.some(isSealed)) return values.map(plain);
    const erasures = await this.erasures.read();
    if (erasures > this.opened.erasures) this.opened = { erasures, values: new Map() };
    // (a count older than one already seen cannot come from FreshRead; were it to, nothing is kept)
    const opened = this.opened.erasures === erasures ? this.opened.values : new Map();
    const missing = values.filter(
      (v): v is SealedValue => isSealed(v) && !opened.has(openedKey(v)),
    );
    if (missing.length) {
      const keys = await this.keys([...new Set(missing.map((v) => v.subject))]);
      for (const sealed of missing)
        opened.set(openedKey(sealed), decrypt(sealed, keys.get(sealed.subject)));
      for (const old of opened.keys()) {
        if (opened.size <= MAX_OPENED) break;
        opened.delete(old);
      }
    }
    return values.map((value) =>
      isSealed(value) ? (opened.get(openedKey(value)) ?? null) : plain(value),
    );
  }

  /** A copy of the event with every sealed field of its `data` opened (null where erased). */
  async revealEvent<E extends { data: Readonly<Record<string, unknown>> }>(event: E): Promise<E> {
    return (await this.revealEvents([event]))[0]!;
  }

  /** `revealEvent` for a batch, with one key lookup for all of it. */
  async revealEvents<E extends { data: Readonly<Record<string, unknown>> }>(
    events: readonly E[],
  ): Promise<E[]> {
    const sealed = events.flatMap((e) => collectSealed(e.data));
    if (!sealed.length) return [...events];
    const keys = await this.keys([...new Set(sealed.map((s) => s.subject))]);
    return events.map((event) => {
      if (!collectSealed(event.data).length) return event;
      const data = replaceSealed(event.data, (s) => decrypt(s, keys.get(s.subject))) as E['data'];
      return { ...event, data };
    });
  }

  async isErased(subjectId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'SELECT 1 FROM personal_data_erasures WHERE subject_id = $1',
      [subjectId],
    );
    return (rowCount ?? 0) > 0;
  }

  /**
   * Destroys the subject's key for good and remembers the erasure (so that no new key is made for
   * it). The key column is overwritten before the row is deleted and the table vacuumed, so that the
   * key bytes do not linger in a dead row version for long.
   */
  async destroy(subjectId: string): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // a key being made meanwhile is committed before this looks for it, or made after, never
      await client.query(subjectLock(client.escapeLiteral(subjectId)));
      await client.query('UPDATE personal_data_keys SET key = $2 WHERE subject_id = $1', [
        subjectId,
        Buffer.alloc(32),
      ]);
      await client.query('DELETE FROM personal_data_keys WHERE subject_id = $1', [subjectId]);
      await client.query(
        'INSERT INTO personal_data_erasures (subject_id) VALUES ($1) ON CONFLICT DO NOTHING',
        [subjectId],
      );
      // in the same transaction: a read that sees the key gone also sees the count move (openAll)
      await client.query(
        `INSERT INTO personal_data_erasure_count (erasures) VALUES (1)
         ON CONFLICT (single) DO UPDATE SET erasures = personal_data_erasure_count.erasures + 1`,
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
    // Outside the transaction (VACUUM cannot run in one). Best effort: an old snapshot held by another
    // session can keep the dead row until a later vacuum.
    await this.pool.query('VACUUM personal_data_keys').catch(() => {});
  }

  /**
   * The subject's key, made on first use unless the subject was erased. Made under the subject's lock
   * (`subjectLock`), which `destroy` takes too, in one message: the lock, then the insert, each with a
   * snapshot of its own (READ COMMITTED), in one implicit transaction that holds the lock to its end.
   * Checked and inserted in one statement alone, an insert that waited (on another process inserting
   * the same key) went on from its look at the erasures taken before it waited: an erasure committed
   * meanwhile had found no key to destroy, and the erased subject had a key again.
   *
   * The key is made by PostgreSQL (`newKeySql`), never written into the statement: a statement's text
   * is what pg_stat_activity shows every monitoring session, what the server log keeps of a statement
   * that fails (log_min_error_statement) and of every one under log_statement, and a key found there
   * outlives its destruction, so the erased subject's sealed values in the log could still be opened.
   */
  private async keyFor(subjectId: string): Promise<Buffer> {
    const existing = await this.keys([subjectId]);
    const found = existing.get(subjectId);
    if (found) return found;
    const subject = pg.escapeLiteral(subjectId);
    const [, inserted] = (await this.pool.query(
      `${subjectLock(subject)};
       INSERT INTO personal_data_keys (subject_id, key)
       SELECT ${subject}, ${newKeySql}
        WHERE NOT EXISTS (SELECT 1 FROM personal_data_erasures WHERE subject_id = ${subject})
       ON CONFLICT (subject_id) DO UPDATE SET subject_id = EXCLUDED.subject_id
       RETURNING key`,
    )) as unknown as [pg.QueryResult, pg.QueryResult<{ key: Buffer }>];
    const row = inserted.rows[0];
    if (!row) throw new SubjectErased(subjectId);
    return row.key; // on a race, the key another writer stored first
  }

  private async keys(subjectIds: readonly string[]): Promise<Map<string, Buffer>> {
    const { rows } = await this.pool.query<{ subject_id: string; key: Buffer }>(
      'SELECT subject_id, key FROM personal_data_keys WHERE subject_id = ANY($1::text[])',
      [subjectIds],
    );
    return new Map(rows.map((r) => [r.subject_id, r.key]));
  }
}

/**
 * The transaction advisory lock of a subject's key (`subject`: an SQL literal), held by the making of
 * the key and by its destruction, so that neither acts on what it read before the other committed.
 */
const subjectLock = (subject: string) =>
  `SELECT pg_advisory_xact_lock(hashtextextended('personal-data-key:' || ${subject}, 0))`;

/**
 * 32 random bytes made inside PostgreSQL: SHA-256 over two version-4 UUIDs, whose 244 random bits come
 * from the server's strong random source (gen_random_uuid, pg_strong_random; core since PostgreSQL 13,
 * where gen_random_bytes needs the pgcrypto extension).
 */
const newKeySql = 'sha256(uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()))';

/** A sealed value's identity: its IV is random per sealing, and a tampered tag must not match. */
const openedKey = (sealed: SealedValue) =>
  `${sealed.subject}\u0000${sealed.iv}\u0000${sealed.tag}\u0000${sealed.data}`;

function decrypt(sealed: SealedValue, key: Buffer | undefined): string | null {
  if (!key) return null;
  try {
    const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(sealed.subject));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([
      decipher.update(Buffer.from(sealed.data, 'base64')),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    return null; // a tampered value reads as unreadable, like an erased one
  }
}
