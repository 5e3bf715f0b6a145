import type pg from 'pg';
import { projections } from '#projections';

/** Every row of every table of each projection's live slot, in a stable order: what "equal read models" means. */
export async function dumpLive(pool: pg.Pool): Promise<Record<string, string[]>> {
  const { rows: slots } = await pool.query<{ projection: string; schema_name: string }>(
    `SELECT projection, schema_name FROM projection_checkpoints WHERE state = 'live' ORDER BY projection`,
  );
  const dump: Record<string, string[]> = {};
  for (const slot of slots) {
    const projection = projections.find((p) => p.name === slot.projection)!;
    for (const table of projection.tables) {
      const { rows } = await pool.query<{ row: string }>(
        `SELECT to_jsonb(t)::text AS row FROM ${slot.schema_name}.${table} t ORDER BY 1`,
      );
      dump[`${slot.projection}.${table}`] = rows.map((r) => r.row);
    }
  }
  return dump;
}

/** A dump without global positions: two databases number the same log differently. */
export const withoutPositions = (dump: Record<string, string[]>) =>
  Object.fromEntries(
    Object.entries(dump).map(([table, rows]) => [
      table,
      rows
        .map((row) =>
          JSON.stringify(
            Object.fromEntries(
              Object.entries(JSON.parse(row) as object).filter(([key]) => !/position/.test(key)),
            ),
          ),
        )
        .sort(),
    ]),
  );
