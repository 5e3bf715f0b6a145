/**
 * SQL of the PostgreSQL adapter.
 *
 * THE GLOBAL FEED. A subscriber reads the log in `global_position` order from a checkpoint and must never
 * skip an event nor see one twice. A plain sequence does not give that: positions are taken when a
 * transaction inserts, but rows become visible when it commits, so a reader can see 11 before 10 exists
 * and move its checkpoint past 10 for good (the "skipped late commit" bug of many home-made stores).
 *
 * Here the position of the i-th event of an append is
 *     (pg_current_xact_id() << 20) + i          (0 <= i < 2^20, bigger appends are refused)
 * so it is unique and all events of one transaction sit together, ordered by transaction id. Readers
 * only read positions strictly below the HORIZON
 *     pg_snapshot_xmin(pg_current_snapshot()) << 20
 * taken from the same snapshot the read uses. Every transaction id below a snapshot's xmin has already
 * committed or aborted, so no row can ever appear below the horizon after it was read: what the reader
 * saw below it is final, and advancing a checkpoint to it skips nothing. A writer that took its id
 * early and commits late keeps xmin (hence the horizon) at its id until it ends, so the events after it
 * are held back and it is delivered, in order, before them — never skipped.
 *
 * Positions are not dense (an aborted or non-appending transaction leaves a gap); readers never rely on
 * density. pg_current_xact_id() is the top-level id, also under a savepoint, and as a 64-bit id with
 * its epoch it fits the shift until 2^43 transactions.
 *
 * Trade-off: transaction ids are cluster-wide, so ANY long transaction that has an id (in any database
 * of the cluster) holds the feed back while it runs. Readers stay correct, only later; keep write
 * transactions short. The horizon also moves when a non-event transaction ends, which sends no NOTIFY:
 * hence the polling fallback in subscriptions.
 */
export const HORIZON = `(pg_snapshot_xmin(pg_current_snapshot())::text::bigint << 20)`;

/** At most this many events per append: the low bits of a position number events within an append. */
export const MAX_EVENTS_PER_APPEND = 1 << 20;

export const NOTIFY_CHANNEL = 'event_store_appended';

const COLUMNS = `global_position, stream_id, version, event_id, type, schema_version, data, metadata, hash, previous_hash`;

export type EventRow = {
  global_position: string;
  stream_id: string;
  version: string;
  event_id: string;
  type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  hash: string;
  previous_hash: string | null;
};

export const selectHead = {
  name: 'es_head',
  text: `SELECT version, hash FROM events WHERE stream_id = $1 ORDER BY version DESC LIMIT 1`,
};

type Statement = { name?: string; text: string };

/**
 * THE STREAM LOCK. Every append takes its stream's transaction advisory lock in its own statement, and
 * a writer that must read, decide and append without another append slipping in between takes the same
 * lock first (`lockStreamStatement`, e.g. a command on a stream processes keep racing for). The unique
 * (stream_id, version) key alone keeps each stream contiguous, but it is not fair: a writer that holds
 * the lock while it decides would still be overtaken by appends that never ask for it, fail, decide
 * again, and be overtaken again. With the lock in the statement, such an append waits for the holder's
 * commit and then fails on the version it took, as a plain race would. Appends of other streams never
 * wait. Whoever takes a second lock of their own takes it after the stream's, so two writers never wait
 * on each other.
 *
 * A writer that decides on the state of OTHER streams (a shift start reads whether its member is erased
 * and its campaign closed) holds their locks SHARED (`sharedStreamLock`) from before it reads them until
 * it commits, after its own stream's lock and in the order of their ids, and reads their head versions
 * in a later statement (`selectHeadVersions`; a statement's snapshot predates its lock waits): a state
 * it folded at that version is current, any other it reads the tail of. An append to such a stream
 * waits for those holders in its statement, and it takes the lock before its transaction id (so its
 * position) is drawn: it lands after their events in feed order, or before their read. Readers of one
 * stream never wait on each other. (That the statement's one-row `locked` scan runs before its rows
 * are built is the plan PostgreSQL picks, which postgres-append-rules.int.spec.ts pins; the command
 * side's erasure and closing do not rely on it: they take the lock in a statement of their own first.)
 */
export const streamLock = (streamParam: string) =>
  `pg_advisory_xact_lock(hashtextextended('stream:' || ${streamParam}, 0))`;
/** The same lock, shared: held by writers that only read the stream (see THE STREAM LOCK). */
export const sharedStreamLock = (streamParam: string) =>
  `pg_advisory_xact_lock_shared(hashtextextended('stream:' || ${streamParam}, 0))`;
const STREAM_LOCK = streamLock('$1');

/**
 * The head version of each stream of `streams` (a text[] expression), as text, -1 for an empty one:
 * for a writer that holds the streams' locks (THE STREAM LOCK), whether anything was appended since it
 * folded them. In READ COMMITTED a statement sees what committed before it began, and waiting for a
 * lock inside a statement does not renew its snapshot: run this in a statement after the one that
 * takes the locks, never in it.
 */
export const selectHeadVersions = (streams: string) =>
  `SELECT s.id AS stream_id, coalesce((SELECT max(version) FROM events WHERE stream_id = s.id), -1)::text AS version
     FROM unnest(${streams}) AS s(id)`;

/** Takes the stream's lock (see THE STREAM LOCK) in the client's transaction, until it ends. */
export const lockStreamStatement = (streamId: string) => ({
  name: 'es_lock_stream',
  text: `SELECT ${STREAM_LOCK}`,
  values: [streamId],
});

const BUILDS_ON_HEAD = `($2::bigint < 0 OR EXISTS (SELECT 1 FROM events h WHERE h.stream_id = $1 AND h.version = $2::bigint AND h.hash = $3))`;

/** Up to this many events an append is a multi-row VALUES insert (8 parameters a row, PostgreSQL allows 65,535). */
export const MAX_VALUES_ROWS = 1_000;
/** Statements for sizes up to this are prepared once per connection and reused. */
const MAX_PREPARED_ROWS = 128;
const valuesStatements = new Map<number, Statement>();

/**
 * One statement for the whole append, so that run alone it is its own transaction and the append is
 * atomic in a single round trip; the position comes from the inserting transaction's id (see above).
 * Parameters: $1 the stream, $2 / $3 the version and hash of the event it builds on (-1 / null for a new
 * stream), then per event: version, id, type, schema version, data, metadata, hash, previous hash.
 * A multi-row VALUES measured faster here than unpacking one JSON parameter.
 *
 * The statement inserts nothing (position NULL) unless the event it builds on is stored with that hash:
 * with the unique (stream_id, version) key this keeps every stream contiguous and its chain linked by
 * construction, whatever head the caller believed (e.g. a cached head after the table was emptied).
 */
export function insertEventsStatement(rows: number, alongside?: AlongsideRow): Statement {
  if (alongside) return withAlongside(insertEventsStatement(rows), rows, alongside);
  if (rows > MAX_VALUES_ROWS) return insertEventsFromJson;
  let statement = valuesStatements.get(rows);
  if (statement) return statement;
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) {
    const p = 4 + r * 8;
    tuples.push(
      `((pg_current_xact_id()::text::bigint << 20) + ${r}, $1, $${p}::bigint, $${p + 1}, $${p + 2}, $${p + 3}::integer, ` +
        `$${p + 4}::jsonb, $${p + 5}::jsonb, $${p + 6}, $${p + 7})`,
    );
  }
  statement = {
    ...(rows <= MAX_PREPARED_ROWS ? { name: `es_insert_${rows}` } : {}),
    text: `WITH locked AS MATERIALIZED (SELECT ${STREAM_LOCK}),
           inserted AS (
             INSERT INTO events (global_position, stream_id, version, event_id, type, schema_version, data, metadata, hash, previous_hash)
             SELECT v.* FROM (VALUES ${tuples.join(', ')}) AS v CROSS JOIN locked
             WHERE ${BUILDS_ON_HEAD}
             RETURNING global_position, version)
           SELECT max(global_position)::text AS position FROM inserted`,
  };
  if (rows <= MAX_PREPARED_ROWS) valuesStatements.set(rows, statement);
  return statement;
}

/**
 * A row of another table written by the append's own statement, hence in its transaction, so that a
 * lone append stays one round trip (a command's idempotency record, written with its events). `text`
 * is an INSERT that reads the CTE `appended (position, version)`: one row, the last appended event's
 * global position and version, or no row when the append inserted nothing. Its parameters are written
 * `$a1`, `$a2`, … (numbered after the append's own), its values are `values`. A unique violation in it
 * fails the whole statement: nothing is written.
 */
export type AlongsideRow = Readonly<{ name: string; text: string; values: readonly unknown[] }>;

const alongsideStatements = new Map<string, Statement>();

function withAlongside(events: Statement, rows: number, alongside: AlongsideRow): Statement {
  const key = `${events.name ?? events.text}|${alongside.name}`;
  const known = alongsideStatements.get(key);
  if (known) return known;
  const offset = rows > MAX_VALUES_ROWS ? 4 : 3 + rows * 8;
  const extra = alongside.text.replace(/\$a(\d+)/g, (_, n: string) => `$${offset + Number(n)}`);
  const text = events.text.replace(
    /\)\s*SELECT max\(global_position\)::text AS position FROM inserted\s*$/,
    `),
           appended AS (SELECT max(global_position) AS position, max(version) AS version
                          FROM inserted HAVING count(*) > 0),
           alongside AS (${extra})
           SELECT max(global_position)::text AS position FROM inserted`,
  );
  const statement = { ...(events.name ? { name: `${events.name}_${alongside.name}` } : {}), text };
  if (events.name) alongsideStatements.set(key, statement);
  return statement;
}

/** Large appends: the rows as one JSON array parameter ($4), free of the parameter limit. */
const insertEventsFromJson: Statement = {
  name: 'es_insert_json',
  text: `
    WITH locked AS MATERIALIZED (SELECT ${STREAM_LOCK}),
    inserted AS (
      INSERT INTO events (global_position, stream_id, version, event_id, type, schema_version, data, metadata, hash, previous_hash)
      SELECT (pg_current_xact_id()::text::bigint << 20) + (e.ord - 1), $1, e.v, e.id, e.t, e.s, e.d, e.m, e.h, e.p
      FROM ROWS FROM (jsonb_to_recordset($4::jsonb)
             AS (v bigint, id text, t text, s integer, d jsonb, m jsonb, h text, p text)) WITH ORDINALITY AS e(v, id, t, s, d, m, h, p, ord)
           CROSS JOIN locked
      WHERE ${BUILDS_ON_HEAD}
      RETURNING global_position, version)
    SELECT max(global_position)::text AS position FROM inserted`,
};

/** For a refused append, in one round trip: the stored events with its ids (kind 'event') and the stream's head. */
export const selectConflict = {
  name: 'es_conflict',
  text: `SELECT 'event' AS kind, ${COLUMNS} FROM events WHERE event_id = ANY($1::text[])
         UNION ALL
         (SELECT 'head' AS kind, ${COLUMNS} FROM events WHERE stream_id = $2 ORDER BY version DESC LIMIT 1)`,
};

export function selectStream(
  direction: 'forwards' | 'backwards',
  from: bigint | undefined,
  limit: number | undefined,
) {
  const cmp = direction === 'forwards' ? '>=' : '<=';
  const order = direction === 'forwards' ? 'ASC' : 'DESC';
  const where = [`stream_id = $1`];
  if (from !== undefined) where.push(`version ${cmp} $2`);
  const limitSql = limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(limit))}`;
  return `SELECT ${COLUMNS} FROM events WHERE ${where.join(' AND ')} ORDER BY version ${order}${limitSql}`;
}

export type FeedFilterSql = { clause: string; params: unknown[] };

/** Filter clauses for the feed; parameters numbered from `firstParam`. */
export function feedFilter(
  filter: { eventTypes?: readonly string[]; streamPrefixes?: readonly string[] } | undefined,
  firstParam: number,
): FeedFilterSql {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (filter?.eventTypes) {
    params.push(filter.eventTypes);
    parts.push(`type = ANY($${firstParam + params.length - 1}::text[])`);
  }
  if (filter?.streamPrefixes) {
    // LIKE patterns with `\`, `%` and `_` escaped, so a prefix is matched literally.
    params.push(
      filter.streamPrefixes.map((prefix) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`),
    );
    parts.push(`stream_id LIKE ANY($${firstParam + params.length - 1}::text[])`);
  }
  return { clause: parts.map((part) => ` AND ${part}`).join(''), params };
}

/**
 * Feed page: events strictly after $1 and below the horizon.
 *
 * The horizon is applied outside the ordered, limited scan, not beside `> $1`. Both forms return the
 * same rows (everything below the horizon precedes everything above it), but with the two bounds
 * together the planner estimates the range from statistics, and on a table loaded a moment ago, which
 * has none, it guessed a handful of rows and sorted everything above the checkpoint for every page
 * (370 ms against 3.5 ms a page over 200,000 events). A lower bound alone always reads the index in
 * order and stops after the page.
 */
export function selectFeed(filterClause: string, limited: boolean): string {
  return `SELECT ${COLUMNS} FROM (
            SELECT ${COLUMNS} FROM events WHERE global_position > $1${filterClause}
            ORDER BY global_position${limited ? ' LIMIT $2' : ''}) page
          WHERE global_position < ${HORIZON}
          ORDER BY global_position`;
}

/** `selectFeed`'s rows counted, not read: the positions alone, from the index. */
export function countFeed(filterClause: string, limited: boolean): string {
  return `SELECT count(*)::int AS events FROM (
            SELECT global_position FROM events WHERE global_position > $1${filterClause}
            ORDER BY global_position${limited ? ' LIMIT $2' : ''}) page
          WHERE global_position < ${HORIZON}`;
}

/**
 * Feed page for subscriptions, with the horizon it was read under (so a filtered subscriber can move its
 * cursor past non-matching events) and whether committed events already wait above it (then the horizon
 * is held by some transaction and will move without a NOTIFY: poll again soon).
 */
export function selectFeedWithHorizon(filterClause: string): string {
  return `
    WITH h AS (SELECT ${HORIZON} AS horizon)
    SELECT h.horizon::text AS horizon,
           coalesce((SELECT max(global_position) FROM events) >= h.horizon, false) AS waiting,
           e.*
    FROM h LEFT JOIN LATERAL (
      SELECT * FROM (
        SELECT ${COLUMNS} FROM events WHERE global_position > $1${filterClause}
        ORDER BY global_position LIMIT $2) page
      WHERE page.global_position < h.horizon) e ON true
    ORDER BY e.global_position`;
}

export const selectHeadPosition = {
  name: 'es_head_position',
  text: `SELECT coalesce(max(global_position), 0)::text AS position FROM events WHERE global_position < ${HORIZON}`,
};
