import { rows, type Sql } from '../../runner/projection.js';
import { round2 } from '../volunteer-activity/campaign-time.sql.js';

export type UnitSummary = {
  unitId: string;
  name: string;
  kind: string;
  parentId: string | null;
  members: number;
  clubs: number;
  posts: number;
  citizensAssisted: number;
  verifiedHours: number;
  subunits: number;
};

/**
 * A unit's figures over its whole subtree (itself and every unit below it): its roll-up row, kept by
 * the projection (unit-rollups.projection.ts), read by key. A unit without one yet counts nothing.
 */
export async function unitSummary(
  sql: Sql,
  schema: string,
  unitId: string,
): Promise<UnitSummary | null> {
  const [row] = await rows<Record<string, string | null>>(
    sql,
    `SELECT u.unit_id, u.name, u.kind, u.parent_id, r.members, r.clubs, r.posts, r.citizens,
       r.verified_hours, r.subunits
     FROM ${schema}.units u LEFT JOIN ${schema}.unit_rollups r USING (unit_id) WHERE u.unit_id = $1`,
    [unitId],
  );
  if (!row) return null;
  return {
    unitId: row.unit_id!,
    name: row.name!,
    kind: row.kind!,
    parentId: row.parent_id,
    members: Number(row.members ?? 0),
    clubs: Number(row.clubs ?? 0),
    posts: Number(row.posts ?? 0),
    citizensAssisted: Number(row.citizens ?? 0),
    verifiedHours: round2(row.verified_hours ?? null),
    subunits: Number(row.subunits ?? 0),
  };
}
