import type { RecordedEvent } from '#event-store';

/** Anything that runs SQL: a pg client inside a transaction, or a pool. */
export interface Sql {
  query(text: string, params?: unknown[]): Promise<unknown>;
}

/** What a projection writes through: the batch's transaction and the schema of the slot it fills. */
export type ProjectionTx = Readonly<{
  /** The pg client holding the batch transaction: rows written here commit with the checkpoint. */
  sql: Sql;
  /** Schema holding this slot's tables (one schema per projection version and rebuild). */
  schema: string;
}>;

/**
 * A projection (../shared/DESIGN.md "Projections"): a name, a version, the event types it handles and the
 * tables it owns. `apply` must be set-based (a few multi-row statements per batch, not a query per event)
 * and idempotent: it guards on stream versions or primary keys, so a replayed batch changes nothing.
 * It reads nothing but the events and its own tables.
 */
export interface Projection {
  readonly name: string;
  /** Bump it when the rows a projection writes change: the runner rebuilds into new tables and switches. */
  readonly version: number;
  readonly handles: ReadonlySet<string>;
  /** Tables created in the slot's schema (for dumps, comparisons and operators). */
  readonly tables: readonly string[];
  /** Tables with their primary keys: what `apply` needs. */
  createTables(sql: Sql, schema: string): Promise<void>;
  /** Secondary indexes, for the queries: created once the slot has caught up, so a rebuild does not maintain them row by row. */
  createIndexes?(sql: Sql, schema: string): Promise<void>;
  apply(batch: readonly RecordedEvent[], tx: ProjectionTx): Promise<void>;
}

/** Rows of a pg query. */
export async function rows<T>(sql: Sql, text: string, params?: unknown[]): Promise<T[]> {
  const result = (await sql.query(text, params)) as { rows?: T[] } | T[];
  return Array.isArray(result) ? result : (result.rows ?? []);
}

/** `rm_<name>_v<version>_g<generation>`: a valid, unquoted PostgreSQL identifier. */
export function slotSchema(name: string, version: number, generation: number): string {
  return `rm_${name.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}_v${version}_g${generation}`;
}

/** Schema names come from slotSchema only; this refuses anything else before it reaches SQL text. */
export function ident(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  return schema;
}
