import { ident, type Sql } from '../../runner/projection.js';

/**
 * Unit figures rolled up through the unit tree (issue 10: read models that are answers). They live in
 * the volunteer-activity slot, written in the batch that writes the facts they summarise.
 *
 * - `unit_closure`: one row per (ancestor, unit) pair, the unit itself at depth 0. A unit never moves
 *   once registered, so the rows are written once, at UnitRegistered. Keyed by unit first: the write
 *   path asks "the ancestors of this unit"; the secondary index makes a subtree one range.
 * - `unit_rollups`: each unit's figures over its whole subtree (itself and every unit below it).
 *   Hours are the exact sum of per-shift `numeric` hours, the sum the facts query used to compute, so
 *   rounding to two decimals gives the same answer; adding and taking back never drifts. The column's
 *   fixed scale (20 decimals, more than a shift's hours carry) keeps its text the same whatever the
 *   order of additions, so a rebuilt slot stays row for row equal to the live one.
 */
export const unitRollupTables = ['unit_closure', 'unit_rollups'] as const;

export async function createUnitRollupTables(sql: Sql, schema: string): Promise<void> {
  const s = ident(schema);
  await sql.query(`
    CREATE TABLE ${s}.unit_closure (
      unit_id text NOT NULL, ancestor_id text NOT NULL, depth integer NOT NULL,
      PRIMARY KEY (unit_id, ancestor_id));
    CREATE TABLE ${s}.unit_rollups (
      unit_id text PRIMARY KEY, parent_id text, members bigint NOT NULL DEFAULT 0,
      clubs bigint NOT NULL DEFAULT 0, posts bigint NOT NULL DEFAULT 0, citizens bigint NOT NULL DEFAULT 0,
      verified_hours numeric(1000, 20) NOT NULL DEFAULT 0, subunits bigint NOT NULL DEFAULT 0);
  `);
}

/** A subtree as one range; and siblings by each board metric, so a board's top N is an index scan. */
export async function createUnitRollupIndexes(sql: Sql, schema: string): Promise<void> {
  const s = ident(schema);
  await sql.query(`
    CREATE INDEX ON ${s}.unit_closure (ancestor_id, depth, unit_id);
    CREATE INDEX ON ${s}.unit_rollups (parent_id, citizens DESC, unit_id);
    CREATE INDEX ON ${s}.unit_rollups (parent_id, clubs DESC, unit_id);
    CREATE INDEX ON ${s}.unit_rollups (parent_id, posts DESC, unit_id);
  `);
}
