import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { createPostgresEventStore, type EventStore, type NewEvent } from '#event-store';
import { PersonalDataVault, SubjectErased, isSealed } from '#platform';
import { createTestDatabase } from '../harness/database.js';

/**
 * The whole database as an auditor with a copy of it would see it: every row of every table as
 * text (what pg_dump writes), and the raw bytes of every relation file (which also hold dead row
 * versions that a dump leaves out). The system pg_dump (15) cannot dump a PostgreSQL 18 server, so
 * the dump is taken through SQL, as superuser.
 */
async function dumpDatabase(pool: pg.Pool): Promise<{ rows: string; files: Buffer }> {
  await pool.query('CHECKPOINT'); // relation files on disk hold every committed page
  const tables = await pool.query<{ name: string }>(
    `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`,
  );
  const rows: string[] = [];
  for (const { name } of tables.rows) {
    const { rows: content } = await pool.query<{ row: string }>(
      `SELECT t::text AS row FROM ${name} t`,
    );
    rows.push(`-- ${name}`, ...content.map((r) => r.row));
  }
  const { rows: files } = await pool.query<{ bytes: Buffer }>(
    `SELECT pg_read_binary_file(path) AS bytes
       FROM (SELECT pg_relation_filepath(oid) AS path FROM pg_class) f
      WHERE path IS NOT NULL AND (pg_stat_file(path, true)).size IS NOT NULL`,
  );
  return { rows: rows.join('\n'), files: Buffer.concat(files.map((f) => f.bytes)) };
}

const metadata = (commandId: string) => ({
  occurredAt: '2025-08-09T07:30:00+07:00',
  recordedAt: '2025-08-09T07:30:01+07:00',
  recordedBy: 'coordinator-1',
  commandId,
  correlationId: commandId,
  causationId: null,
});

describe('personal data is crypto-shredded', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: pg.Pool;
  let store: EventStore & { init(): Promise<void> };
  let vault: PersonalDataVault;

  beforeAll(async () => {
    db = await createTestDatabase('personal_data');
    pool = new pg.Pool({ connectionString: db.url, max: 4 });
    store = createPostgresEventStore({ pool });
    await store.init();
    vault = new PersonalDataVault(pool);
    await vault.init();
    await vault.init(); // idempotent at every start
  });
  afterAll(async () => {
    await store?.close();
    await pool?.end();
    await db?.drop();
  });

  it('stores a sealed name in the log, reveals it, and after erasure finds it nowhere while the chain still verifies', async () => {
    // given a member enrolled with a sealed display name
    const memberId = randomUUID();
    const subject = `member-${memberId}`;
    const name = `Nguyễn Thị Hồng Nhung ${randomBytes(4).toString('hex')}`;
    const sealed = await vault.seal(subject, name);
    expect(isSealed(sealed)).toBe(true);
    expect(JSON.stringify(sealed)).not.toContain(name);
    const enrolled: NewEvent = {
      eventId: randomUUID(),
      type: 'MemberEnrolled',
      schemaVersion: 1,
      data: { memberId, unitId: 'ward-7', displayName: sealed },
      metadata: metadata('c-1'),
    };
    await store.append(subject, [enrolled], { expectedVersion: 'no_stream' });
    const [recorded] = await store.readStream(subject);
    expect((await vault.revealEvent(recorded!)).data.displayName).toBe(name);
    const key = (
      await pool.query<{ key: Buffer }>(
        'SELECT key FROM personal_data_keys WHERE subject_id = $1',
        [subject],
      )
    ).rows[0]!.key;

    // when the member's personal data is erased
    await vault.destroy(subject);
    await store.append(
      subject,
      [
        {
          eventId: randomUUID(),
          type: 'MemberDataErased',
          schemaVersion: 1,
          data: { memberId },
          metadata: metadata('c-2'),
        },
      ],
      { expectedVersion: 0n },
    );

    // then the name cannot be read back, nor sealed again under a fresh key
    const events = await store.readStream(subject);
    expect(await vault.open(events[0]!.data.displayName)).toBeNull();
    expect((await vault.revealEvents(events))[0]!.data.displayName).toBeNull();
    await expect(vault.seal(subject, name)).rejects.toBeInstanceOf(SubjectErased);
    expect(await vault.isErased(subject)).toBe(true);

    // and a full dump of the database holds neither the name nor the key
    await vault.seal('member-witness', 'still here');
    const witnessKey = (
      await pool.query<{ key: Buffer }>(
        `SELECT key FROM personal_data_keys WHERE subject_id = 'member-witness'`,
      )
    ).rows[0]!.key;
    const dump = await dumpDatabase(pool);
    expect(dump.rows).toContain(memberId); // the dump did reach the member's events
    expect(dump.files.includes(witnessKey)).toBe(true); // and the raw files show keys that still exist
    expect(dump.rows).not.toContain(name);
    expect(dump.files.includes(Buffer.from(name, 'utf8'))).toBe(false);
    expect(dump.rows).not.toContain(key.toString('hex'));
    expect(dump.files.includes(key)).toBe(false);

    // and the member's hash chain still verifies: no event was touched
    expect(await store.verifyStream(subject)).toMatchObject({ valid: true, events: 2 });
  });

  it('keeps other subjects readable and refuses a value tampered with', async () => {
    const sealed = await vault.seal('member-b', 'Trần Văn Bình');
    await vault.destroy('member-a');
    expect(await vault.open(sealed)).toBe('Trần Văn Bình');
    const moved = { ...sealed, subject: 'member-c' }; // the key is bound to its subject
    expect(await vault.open(moved)).toBeNull();
    const flipped = Buffer.from(sealed.data, 'base64');
    flipped[0]! ^= 1;
    expect(await vault.open({ ...sealed, data: flipped.toString('base64') })).toBeNull();
  });

  it('gives concurrent first seals of one subject the same key', async () => {
    const sealedValues = await Promise.all(
      Array.from({ length: 8 }, (_, i) => vault.seal('member-race', `name ${i}`)),
    );
    const opened = await Promise.all(sealedValues.map((s) => vault.open(s)));
    expect(opened).toEqual(sealedValues.map((_, i) => `name ${i}`));
  });

  it('makes a key without its bytes in the text of any statement (pg_stat_activity, the server log)', async () => {
    // given another session holding the subject's key lock, so that the making of its key waits
    const subject = `member-${randomUUID()}`;
    const holder = await pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(
        `SELECT pg_advisory_xact_lock(hashtextextended('personal-data-key:' || $1::text, 0))`,
        [subject],
      );

      // when a first value is sealed for the subject, and a monitoring session reads what runs
      const sealing = vault.seal(subject, 'Nguyễn Thị Hoa 0912345678');
      const seen: string[] = [];
      for (let tries = 0; tries < 200; tries++) {
        const { rows } = await pool.query<{ query: string }>(
          `SELECT query FROM pg_stat_activity
            WHERE pid <> pg_backend_pid() AND pid <> $1
              AND query LIKE '%INSERT INTO personal_data_keys%'`,
          [(holder as unknown as { processID: number }).processID],
        );
        seen.push(...rows.map((r) => r.query));
        if (rows.length) break;
        await new Promise((wake) => setTimeout(wake, 10));
      }
      await holder.query('COMMIT');
      await sealing;

      // then the key the subject got is nowhere in what the statement showed
      const { rows } = await pool.query<{ key: string }>(
        `SELECT encode(key, 'hex') AS key FROM personal_data_keys WHERE subject_id = $1`,
        [subject],
      );
      expect(seen.join('\n')).toContain('INSERT INTO personal_data_keys');
      expect(rows[0]?.key).toMatch(/^[0-9a-f]{64}$/);
      expect(seen.join('\n')).not.toContain(rows[0]!.key);
    } finally {
      await holder.query('ROLLBACK').catch(() => {});
      holder.release();
    }
  });

  it('keeps the names a process opened only until any process erases a subject', async () => {
    // given two processes' vaults on one database, and names the first has opened once
    const keyLookups = { count: 0 };
    const counting = new Proxy(pool, {
      get(target, property, receiver) {
        if (property !== 'query') return Reflect.get(target, property, receiver);
        return (text: string, ...rest: unknown[]) => {
          if (String(text).includes('FROM personal_data_keys')) keyLookups.count++;
          return (target.query as (...a: unknown[]) => unknown).call(target, text, ...rest);
        };
      },
    });
    const dashboard = new PersonalDataVault(counting);
    const commands = new PersonalDataVault(pool);
    const lan = await commands.seal('member-lan', 'Phạm Thị Lan');
    const minh = await commands.seal('member-minh', 'Lê Văn Minh');
    expect(await dashboard.openAll([lan, minh, 'in clear', null])).toEqual([
      'Phạm Thị Lan',
      'Lê Văn Minh',
      'in clear',
      null,
    ]);
    const afterFirstOpen = keyLookups.count;

    // when the same names are opened again, no key is looked up
    expect(await dashboard.openAll([minh, lan])).toEqual(['Lê Văn Minh', 'Phạm Thị Lan']);
    expect(keyLookups.count).toBe(afterFirstOpen);

    // when the other process erases one of them
    await commands.destroy('member-lan');

    // then the first process's next read shows it erased at once, and still opens the other
    expect(await dashboard.openAll([lan, minh])).toEqual([null, 'Lê Văn Minh']);
    expect(keyLookups.count).toBe(afterFirstOpen + 1);
  });
});
