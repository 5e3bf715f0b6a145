import { rows, type Sql } from '../../runner/projection.js';

export const unitMetrics = ['citizensAssisted', 'clubs', 'posts'] as const;
export type UnitMetric = (typeof unitMetrics)[number];

export type UnitLeaderboardEntry = { rank: number; unitId: string; name: string; value: number };

/** The roll-up column holding each metric over a unit's whole subtree (unit-rollups.ddl.ts). */
const column: Record<UnitMetric, string> = {
  citizensAssisted: 'citizens',
  clubs: 'clubs',
  posts: 'posts',
};

/**
 * Units ranked by a figure over their whole subtree (ties share a rank). The ranked units are the
 * direct children of `parentId` — siblings compared with each other, e.g. the wards of a district —
 * or, without `parentId`, the root units. The top `limit` siblings come from the roll-up rows'
 * (parent, metric) index; ranking only them is exact, since a rank depends only on higher values,
 * all of which are among them.
 */
export async function unitLeaderboard(
  sql: Sql,
  schema: string,
  q: Readonly<{ metric: UnitMetric; parentId?: string; limit: number }>,
): Promise<UnitLeaderboardEntry[]> {
  const value = `r.${column[q.metric]}`;
  const siblings = q.parentId === undefined ? 'r.parent_id IS NULL' : 'r.parent_id = $2';
  const found = await rows<{ rank: string; unit_id: string; name: string; value: string }>(
    sql,
    `WITH top AS (
       SELECT r.unit_id, ${value} AS value FROM ${schema}.unit_rollups r
       WHERE ${siblings} ORDER BY ${value} DESC, r.unit_id LIMIT $1)
     SELECT rank() OVER (ORDER BY top.value DESC) AS rank, top.unit_id, u.name, top.value::float8 AS value
     FROM top JOIN ${schema}.units u USING (unit_id) ORDER BY rank, top.unit_id`,
    q.parentId === undefined ? [q.limit] : [q.limit, q.parentId],
  );
  return found.map((row) => ({
    rank: Number(row.rank),
    unitId: row.unit_id,
    name: row.name,
    value: Number(row.value),
  }));
}
