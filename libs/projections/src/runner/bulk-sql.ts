import { rows, type Sql } from './projection.js';

export type BulkInsert<Row> = Readonly<{
  /** Schema-qualified table. */
  table: string;
  /** Column name → PostgreSQL type of one value (`text`, `timestamptz`, `bigint`, ...). */
  columns: Readonly<Record<keyof Row & string, string>>;
  rows: readonly Row[];
  /** `ON CONFLICT ...` clause, e.g. `ON CONFLICT (id) DO NOTHING`. */
  onConflict: string;
  /** `RETURNING ...` list: what an upsert made of the rows, read in the same round trip. */
  returning?: string;
}>;

/**
 * Writes many rows with one statement: each column travels as one array parameter and `unnest` turns
 * the arrays back into rows. A batch of thousands of events costs a handful of round trips, which is
 * what lets a rebuild run at tens of thousands of events per second.
 */
export async function bulkInsert<Row extends Record<string, unknown>>(
  sql: Sql,
  insert: BulkInsert<Row>,
): Promise<Record<string, unknown>[]> {
  if (!insert.rows.length) return [];
  const names = Object.keys(insert.columns) as (keyof Row & string)[];
  const arrays = names.map((name) => arrayText(insert.rows.map((row) => toText(row[name]))));
  // A type `text::text[]` travels as text and is cast on the way in (arrays of arrays cannot be ragged).
  const types = names.map((name) => insert.columns[name].split('::'));
  const params = types.map(([type], i) => `$${i + 1}::${type}[]`).join(', ');
  const select = names
    .map((name, i) => (types[i]![1] ? `u.${name}::${types[i]![1]}` : `u.${name}`))
    .join(', ');
  return rows(
    sql,
    `INSERT INTO ${insert.table} (${names.join(', ')}) SELECT ${select} FROM unnest(${params}) AS u(${names.join(', ')}) ${insert.onConflict}${insert.returning ? ` RETURNING ${insert.returning}` : ''}`,
    arrays,
  );
}

/**
 * Values as PostgreSQL array text (`{"a","b",NULL}`), cast by the statement's `$n::type[]`. Built
 * here rather than by pg's generic array serializer, which prepares every element on its own and was
 * a large share of a rebuild's JavaScript time (about six times slower on plain strings and numbers).
 */
export function arrayText(values: readonly (string | number | null)[]): string {
  let text = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) text += ',';
    const element = values[i]!;
    if (element === null) text += 'NULL';
    else if (typeof element === 'number') text += element;
    else
      text += needsEscape.test(element)
        ? `"${element.replace(escapable, '\\$&')}"`
        : `"${element}"`;
  }
  return `${text}}`;
}

const needsEscape = /[\\"]/;
const escapable = /[\\"]/g;

function toText(value: unknown): string | number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  // Arrays and objects travel as JSON text (columns typed jsonb); PostgreSQL arrays of arrays cannot be ragged.
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Last event wins per key; a batch may hold several events for one row. */
export function lastBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const map = new Map<string, T>();
  for (const item of items) map.set(key(item), item);
  return [...map.values()];
}
