import { rows, type Sql } from '../../runner/projection.js';

export const unitMetrics = ['citizensAssisted', 'clubs', 'posts'] as const;
export type UnitMetric = (typeof unitMetrics)[number];

export type UnitLeaderboardEntry = { rank: number; unitId: string; name: string; value: number };

/** Figures of each unit over its whole subtree; `u` is the ranked unit. */
const subtreeValue: Record<UnitMetric, (schema: string) => string> = {
  citizensAssisted: (s) => `(SELECT COALESCE(sum(sh.citizens), 0) FROM ${s}.units t
      JOIN ${s}.members m ON m.unit_id = t.unit_id
      JOIN ${s}.shifts sh ON sh.member_id = m.member_id AND sh.status <> 'rejected'
      WHERE t.path @> ARRAY[u.unit_id])`,
  clubs: (s) =>
    `(SELECT count(*) FROM ${s}.units t JOIN ${s}.clubs k ON k.unit_id = t.unit_id WHERE t.path @> ARRAY[u.unit_id])`,
  posts: (s) =>
    `(SELECT count(*) FROM ${s}.units t JOIN ${s}.posts p ON p.unit_id = t.unit_id WHERE t.path @> ARRAY[u.unit_id])`,
};

/**
 * Units ranked by a figure over their whole subtree (ties share a rank). The ranked units are the
 * direct children of `parentId` — siblings compared with each other, e.g. the wards of a district —
 * or, without `parentId`, the root units.
 */
export async function unitLeaderboard(
  sql: Sql,
  schema: string,
  q: Readonly<{ metric: UnitMetric; parentId?: string; limit: number }>,
): Promise<UnitLeaderboardEntry[]> {
  const found = await rows<{ rank: string; unit_id: string; name: string; value: string }>(
    sql,
    `WITH ranked AS (
       SELECT u.unit_id, u.name, ${subtreeValue[q.metric](schema)}::float8 AS value FROM ${schema}.units u
       WHERE ($1::text IS NULL AND u.parent_id IS NULL) OR u.parent_id = $1)
     SELECT rank() OVER (ORDER BY value DESC) AS rank, * FROM ranked ORDER BY rank, unit_id LIMIT $2`,
    [q.parentId ?? null, q.limit],
  );
  return found.map((row) => ({
    rank: Number(row.rank),
    unitId: row.unit_id,
    name: row.name,
    value: Number(row.value),
  }));
}
