import { rows, type Sql } from '../../runner/projection.js';

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

/** A unit's figures over its whole subtree (itself and every unit below it), from its stored ancestor paths. */
export async function unitSummary(
  sql: Sql,
  schema: string,
  unitId: string,
): Promise<UnitSummary | null> {
  const [row] = await rows<Record<string, string | null>>(
    sql,
    `WITH tree AS (SELECT unit_id FROM ${schema}.units WHERE path @> ARRAY[$1::text]),
     tree_members AS (SELECT m.member_id FROM ${schema}.members m JOIN tree USING (unit_id))
     SELECT u.unit_id, u.name, u.kind, u.parent_id,
       (SELECT count(*) FROM tree_members) AS members,
       (SELECT count(*) FROM ${schema}.clubs k JOIN tree USING (unit_id)) AS clubs,
       (SELECT count(*) FROM ${schema}.posts p JOIN tree USING (unit_id)) AS posts,
       (SELECT COALESCE(sum(s.citizens), 0) FROM ${schema}.shifts s JOIN tree_members USING (member_id)
          WHERE s.status <> 'rejected') AS citizens,
       (SELECT COALESCE(sum(EXTRACT(EPOCH FROM s.ended_at - s.started_at) / 3600.0), 0) FROM ${schema}.shifts s
          JOIN tree_members USING (member_id) WHERE s.status = 'verified') AS verified_hours,
       (SELECT count(*) - 1 FROM tree) AS subunits
     FROM ${schema}.units u WHERE u.unit_id = $1`,
    [unitId],
  );
  if (!row) return null;
  return {
    unitId: row.unit_id!,
    name: row.name!,
    kind: row.kind!,
    parentId: row.parent_id,
    members: Number(row.members),
    clubs: Number(row.clubs),
    posts: Number(row.posts),
    citizensAssisted: Number(row.citizens),
    verifiedHours: Math.round(Number(row.verified_hours) * 100) / 100,
    subunits: Number(row.subunits),
  };
}
