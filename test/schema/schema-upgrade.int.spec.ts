import pg from 'pg';
import { commandSchema } from '#commands';
import { createPostgresEventStore, eventStoreSchema } from '#event-store';
import { relaySchema } from '#messaging';
import { personalDataSchema } from '#platform';
import {
  auditLogSchema,
  ensureSlots,
  ProjectionRunner,
  projections,
  projectionsSchema,
} from '#projections';
import { migrateSchema } from '#schema';
import { createTestDatabase } from '../harness/database.js';
import { previousSchema } from './previous-schema.js';

/** Every component's list, as the api, the worker and the CLI migrate them between them. */
const system = [
  eventStoreSchema,
  commandSchema,
  personalDataSchema,
  auditLogSchema,
  relaySchema,
  projectionsSchema,
];
const everyMigration = system.flatMap((c) => c.migrations.map((m) => `${c.name} ${m.version}`));

type Db = Awaited<ReturnType<typeof createTestDatabase>> & { pool: pg.Pool };
const open: Db[] = [];
async function database(prefix: string): Promise<Db> {
  const db = await createTestDatabase(prefix);
  const opened = { ...db, pool: new pg.Pool({ connectionString: db.url, max: 4 }) };
  open.push(opened);
  return opened;
}
afterAll(async () => {
  for (const db of open) {
    await db.pool.end();
    await db.drop();
  }
});

/** The public schema as the catalog describes it: columns, constraints, indexes. */
async function catalog(pool: pg.Pool): Promise<unknown[]> {
  const queries = [
    `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
      WHERE table_schema = 'public' ORDER BY 1, 2`,
    `SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`,
    `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2`,
  ];
  return Promise.all(queries.map(async (text) => (await pool.query(text)).rows));
}

async function ledger(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ entry: string }>(
    `SELECT component || ' ' || version AS entry FROM schema_migrations ORDER BY component, version`,
  );
  return rows.map((r) => r.entry);
}

describe('the schema runner', () => {
  it('upgrades a database the previous code made, keeping its rows, to what a fresh one gets', async () => {
    // given a database made by the code before #schema, with rows in it and the live slots it made
    const old = await database('schema_old');
    for (const statement of previousSchema) await old.pool.query(statement);
    await old.pool.query(
      `INSERT INTO events (global_position, stream_id, version, event_id, type, schema_version, data, metadata, hash)
       VALUES (1, 'unit-u1', 0, 'e1', 'UnitRegistered', 1, '{"unitId":"u1"}', '{}', 'h1')`,
    );
    await old.pool.query(
      `INSERT INTO command_log (command_key, route, body_hash) VALUES ('k1', 'POST /units', 'b1')`,
    );
    const client = await old.pool.connect();
    await ensureSlots(client, projections).finally(() => client.release());
    const slotsBefore = (await old.pool.query('SELECT * FROM projection_checkpoints')).rows;
    expect(slotsBefore).toHaveLength(projections.length);

    // when the runner migrates it
    await migrateSchema(old.pool, ...system);

    // then every migration is in the one ledger, the old ledgers are gone, the rows are kept
    expect(await ledger(old.pool)).toEqual([...everyMigration].sort());
    const { rows: leftovers } = await old.pool.query(
      `SELECT to_regclass('event_store_migrations') AS es, to_regclass('read_model_migrations') AS rm`,
    );
    expect(leftovers[0]).toEqual({ es: null, rm: null });
    expect((await old.pool.query('SELECT event_id FROM events')).rows).toEqual([
      { event_id: 'e1' },
    ]);
    expect((await old.pool.query('SELECT command_key FROM command_log')).rows).toEqual([
      { command_key: 'k1' },
    ]);
    // and its tables are exactly those of a database the runner made from nothing
    const fresh = await database('schema_fresh');
    await migrateSchema(fresh.pool, ...system);
    expect(await catalog(old.pool)).toEqual(await catalog(fresh.pool));

    // and the components start on it: the event store appends, the runner keeps the slots it had
    const store = createPostgresEventStore({ pool: old.pool });
    await store.init();
    await store.append('unit-u2', [newEvent()], { expectedVersion: 'no_stream' });
    await new ProjectionRunner(old.pool, store, projections).prepare();
    expect((await old.pool.query('SELECT * FROM projection_checkpoints')).rows).toEqual(
      slotsBefore,
    );
  });

  it('migrates once when two pools migrate at the same time, and again changes nothing', async () => {
    // given a new database and two processes' pools on it
    const db = await database('schema_race');
    const other = new pg.Pool({ connectionString: db.url, max: 2 });
    try {
      // when both migrate at once, then one of them again
      await Promise.all([migrateSchema(db.pool, ...system), migrateSchema(other, ...system)]);
      const first = await catalog(db.pool);
      await migrateSchema(other, ...system);

      // then each migration is applied and recorded once, and the second run changed nothing
      expect(await ledger(db.pool)).toEqual([...everyMigration].sort());
      expect(await catalog(db.pool)).toEqual(first);
    } finally {
      await other.end();
    }
  });

  it('leaves a failing migration unrecorded and undone, and applies it once it is fixed', async () => {
    const db = await database('schema_failing');
    const good = { version: 1, name: 'a', sql: 'CREATE TABLE probe_a (x int)' };
    const broken = {
      name: 'probe',
      migrations: [
        good,
        { version: 2, name: 'b', sql: 'CREATE TABLE probe_b (x int); SELECT 1/0' },
      ],
    };
    // when the second migration fails halfway
    await expect(migrateSchema(db.pool, broken)).rejects.toThrow(/division by zero/);
    // then the first is recorded and the second left nothing behind
    expect(await ledger(db.pool)).toEqual(['probe 1']);
    const { rows } = await db.pool.query(`SELECT to_regclass('probe_b') AS b`);
    expect(rows[0]).toEqual({ b: null });
    // and the lock was let go: the fixed list applies from where it stopped
    const fixed = {
      name: 'probe',
      migrations: [good, { version: 2, name: 'b', sql: 'CREATE TABLE probe_b (x int)' }],
    };
    await migrateSchema(db.pool, fixed);
    expect(await ledger(db.pool)).toEqual(['probe 1', 'probe 2']);
  });

  it('given a database a newer release migrated, when an older release migrates it, then it refuses naming what it does not know and applies nothing', async () => {
    const db = await database('schema_newer');
    const a = { version: 1, name: 'a', sql: 'CREATE TABLE probe_a (x int)' };
    const newer = {
      name: 'probe',
      migrations: [a, { version: 2, name: 'b', sql: 'ALTER TABLE probe_a ADD COLUMN y int' }],
    };
    await migrateSchema(db.pool, newer);
    const older = { name: 'probe', migrations: [a] };
    const alongside = {
      name: 'probe_other',
      migrations: [{ version: 1, name: 'c', sql: 'CREATE TABLE probe_c (x int)' }],
    };

    const started = migrateSchema(db.pool, alongside, older);

    await expect(started).rejects.toThrow(/newer release.*probe 2 \(b\)/);
    expect(await ledger(db.pool)).toEqual(['probe 1', 'probe 2']);
    const { rows } = await db.pool.query(`SELECT to_regclass('probe_c') AS c`);
    expect(rows[0]).toEqual({ c: null });
    // and the lock was let go: the newer release still starts
    await migrateSchema(db.pool, newer);
  });

  it('given read models a newer version of a projection built, when an older release prepares them, then it refuses naming both versions and changes no slot', async () => {
    const db = await database('schema_newer_slots');
    await migrateSchema(db.pool, ...system);
    const [first, ...others] = projections;
    const newer = [{ ...first!, version: first!.version + 1 }, ...others];
    const store = createPostgresEventStore({ pool: db.pool });
    await new ProjectionRunner(db.pool, store, newer).prepare();
    const slots = async () =>
      (await db.pool.query('SELECT * FROM projection_checkpoints ORDER BY projection, version'))
        .rows;
    const before = await slots();

    const asWorker = new ProjectionRunner(db.pool, store, projections).prepare();
    const client = await db.pool.connect();
    const asApi = ensureSlots(client, projections, { upgrade: false }).finally(() =>
      client.release(),
    );

    const named = new RegExp(
      `${first!.name}.*version ${first!.version + 1}.*newer release.*version ${first!.version}\\b`,
    );
    await expect(asWorker).rejects.toThrow(named);
    await expect(asApi).rejects.toThrow(named);
    expect(await slots()).toEqual(before);
  });

  it('refuses a list whose numbers skip or repeat before touching the database', async () => {
    const db = await database('schema_numbering');
    const skipped = {
      name: 'probe',
      migrations: [{ version: 2, name: 'b', sql: 'CREATE TABLE probe_b (x int)' }],
    };
    await expect(migrateSchema(db.pool, skipped)).rejects.toThrow(/numbered 2, expected 1/);
    const { rows } = await db.pool.query(`SELECT to_regclass('schema_migrations') AS ledger`);
    expect(rows[0]).toEqual({ ledger: null });
  });
});

function newEvent() {
  return {
    eventId: 'e2',
    type: 'UnitRegistered',
    schemaVersion: 1,
    data: { unitId: 'u2', name: 'Unit 2', kind: 'ward', parentId: null },
    metadata: {
      occurredAt: '2025-08-09T07:00:00+07:00',
      recordedAt: '2025-08-09T07:00:00+07:00',
      recordedBy: 'operator-1',
      commandId: 'c2',
      correlationId: 'c2',
      causationId: null,
    },
  };
}
