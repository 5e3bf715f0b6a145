import type pg from 'pg';
import type { NewEvent } from '#event-store';

/**
 * The raw SQL that bounds each store operation: the same rows into a bare table of the same shape
 * (columns, keys), with no hashing, no expected-version logic, no idempotency and no notification.
 */
export const createRawTable = `
  CREATE TABLE raw_events (
    global_position bigserial   PRIMARY KEY,
    stream_id       text        NOT NULL,
    version         bigint      NOT NULL,
    event_id        text        NOT NULL,
    type            text        NOT NULL,
    schema_version  integer     NOT NULL,
    data            jsonb       NOT NULL,
    metadata        jsonb       NOT NULL,
    hash            text        NOT NULL,
    previous_hash   text,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (stream_id, version),
    UNIQUE (event_id),
    CHECK (version >= 0))`;

const COLUMNS =
  'stream_id, version, event_id, type, schema_version, data, metadata, hash, previous_hash';
const FAKE_HASH = 'f'.repeat(64);

function rowValues(streamId: string, version: number, event: NewEvent): unknown[] {
  return [
    streamId,
    version,
    event.eventId,
    event.type,
    event.schemaVersion,
    event.data,
    event.metadata,
    FAKE_HASH,
    version === 0 ? null : FAKE_HASH,
  ];
}

const multiRowStatements = new Map<number, string>();
function multiRowInsert(rows: number): string {
  let text = multiRowStatements.get(rows);
  if (!text) {
    const tuples = Array.from(
      { length: rows },
      (_, r) => `(${Array.from({ length: 9 }, (_, c) => `$${r * 9 + c + 1}`).join(', ')})`,
    );
    text = `INSERT INTO raw_events (${COLUMNS}) VALUES ${tuples.join(', ')}`;
    multiRowStatements.set(rows, text);
  }
  return text;
}

/** A multi-row INSERT of a whole batch, versions from 0. */
export async function rawInsertBatch(
  db: pg.Pool | pg.PoolClient,
  streamId: string,
  batch: readonly NewEvent[],
): Promise<void> {
  const values = batch.flatMap((event, i) => rowValues(streamId, i, event));
  await db.query({ name: `raw_batch_${batch.length}`, text: multiRowInsert(batch.length), values });
}

const singleInsert = `INSERT INTO raw_events (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`;

export async function rawInsertOne(
  db: pg.Pool | pg.PoolClient,
  streamId: string,
  version: number,
  event: NewEvent,
): Promise<void> {
  await db.query({
    name: 'raw_one',
    text: singleInsert,
    values: rowValues(streamId, version, event),
  });
}

/**
 * Inserts at the version after the one last seen; on a unique violation reads the stream's newest
 * version and tries again: the loop a writer on a hot stream runs, without an event store.
 */
export async function rawInsertWithRetry(
  db: pg.Pool,
  streamId: string,
  known: { version: number },
  event: NewEvent,
): Promise<void> {
  for (;;) {
    try {
      await rawInsertOne(db, streamId, known.version + 1, event);
      known.version += 1;
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '23505') throw error;
      const head = await db.query<{ v: string | null }>({
        name: 'raw_head',
        text: 'SELECT max(version)::text AS v FROM raw_events WHERE stream_id = $1',
        values: [streamId],
      });
      known.version = head.rows[0]!.v === null ? -1 : Number(head.rows[0]!.v);
    }
  }
}

/** A keyset page of the log in position order; pg parses the jsonb columns (JSON.parse) as it reads. */
export async function rawScanPage(
  db: pg.Pool,
  table: string,
  after: string,
  limit: number,
): Promise<{ rows: number; last: string }> {
  const result = await db.query<{ global_position: string }>({
    name: `raw_scan_${table}`,
    text: `SELECT global_position, stream_id, version, event_id, type, schema_version, data, metadata, hash, previous_hash
           FROM ${table} WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
    values: [after, limit],
  });
  const rows = result.rows;
  return {
    rows: rows.length,
    last: rows.length > 0 ? rows[rows.length - 1]!.global_position : after,
  };
}
