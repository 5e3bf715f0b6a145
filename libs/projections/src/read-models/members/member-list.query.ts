import { rows, type Sql } from '../../runner/projection.js';
import { ERASED_NAME, nameFromColumn, type StoredName } from '../member-names.js';

export type MemberListEntry = {
  memberId: string;
  /** Sealed as stored: open it for an answer (`openNames`). */
  displayName: StoredName;
  unitId: string;
  unitName: string | null;
};

export type MemberListQuery = Readonly<{
  /** Members of this unit's subtree; every member without it. */
  unitId?: string;
  limit: number;
  /** The `next` of the previous page: members after this id. */
  after?: string;
}>;

/**
 * Members in id order, a page at a time (keyset paging: a page costs the same wherever it is).
 * An erased member is listed, as erased: the fact of membership stays, the name does not.
 */
export async function memberList(
  sql: Sql,
  schema: string,
  q: MemberListQuery,
): Promise<{ members: MemberListEntry[]; next?: string }> {
  const found = await rows<{
    member_id: string;
    display_name: string | null;
    erased: boolean;
    unit_id: string;
    unit_name: string | null;
  }>(
    sql,
    `SELECT m.member_id, m.display_name, m.erased, m.unit_id, u.name AS unit_name
       FROM ${schema}.members m LEFT JOIN ${schema}.units u ON u.unit_id = m.unit_id
      WHERE ($1::text IS NULL OR u.path @> ARRAY[$1::text])
        AND ($2::text IS NULL OR m.member_id > $2::text)
      ORDER BY m.member_id LIMIT $3`,
    [q.unitId ?? null, q.after ?? null, q.limit + 1],
  );
  const page = found.slice(0, q.limit).map((row) => ({
    memberId: row.member_id,
    displayName: row.erased ? ERASED_NAME : nameFromColumn(row.display_name),
    unitId: row.unit_id,
    unitName: row.unit_name,
  }));
  return found.length > q.limit
    ? { members: page, next: page.at(-1)!.memberId }
    : { members: page };
}
