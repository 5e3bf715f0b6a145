import { rows, type Sql } from '../../runner/projection.js';
import { nameFromColumn, type StoredName } from '../member-names.js';
import { memberValuesSql } from './member-period.sql.js';

export const memberMetrics = ['verifiedHours', 'citizensAssisted'] as const;
export type MemberMetric = (typeof memberMetrics)[number];

export type MemberLeaderboardQuery = Readonly<{
  metric: MemberMetric;
  campaignId?: string;
  /** Restricts to members of this unit's subtree. */
  unitId?: string;
  /** Instants (ISO 8601); a fact counts when it happened in [from, to). */
  from?: string;
  to?: string;
  limit: number;
}>;

export type LeaderboardEntry = {
  rank: number;
  memberId: string;
  /** Sealed as stored: the caller opens it (`openNames`), so no shared answer holds a name in clear. */
  displayName: StoredName;
  erased: boolean;
  unitId: string;
  value: number;
};

export const ERASED_NAME = '(erased)';

/**
 * Members ranked by verified hours or citizens assisted; ties share a rank (1, 2, 2, 4). Facts count by
 * when they happened: assistance by occurredAt, a shift by startedAt. With a campaign, only what counts
 * for its progress: assistance inside the window and verified hours clipped to the daily window.
 * Assistance on a rejected shift counts for nothing. The values are the rows member-totals keeps (a
 * total, or a period's buckets: member-period.sql.ts); a subtree is the GIN-indexed unit path each
 * member carries (member_paths).
 */
export async function memberLeaderboard(
  sql: Sql,
  schema: string,
  q: MemberLeaderboardQuery,
): Promise<LeaderboardEntry[]> {
  const params: unknown[] = [];
  const param = (value: unknown, type: string) => `$${params.push(value)}::${type}`;
  const values = memberValuesSql(schema, q, param);
  const subtree = q.unitId
    ? `JOIN ${schema}.member_paths p ON p.member_id = v.member_id AND p.path @> ARRAY[${param(q.unitId, 'text')}]`
    : '';
  const limit = param(q.limit, 'int');
  const found = await rows<{
    rank: string;
    member_id: string;
    display_name: string | null;
    erased: boolean;
    unit_id: string;
    value: number;
  }>(
    sql,
    `WITH v AS (${values}),
     scoped AS (
       SELECT v.member_id, v.value, m.display_name, m.erased, m.unit_id FROM v
       JOIN ${schema}.members m ON m.member_id = v.member_id ${subtree}
       WHERE v.value > 0)
     SELECT rank() OVER (ORDER BY round(value::numeric, 2) DESC) AS rank, * FROM scoped
     ORDER BY rank, member_id LIMIT ${limit}`,
    params,
  );
  return found.map((row) => ({
    rank: Number(row.rank),
    memberId: row.member_id,
    displayName: row.erased ? ERASED_NAME : nameFromColumn(row.display_name),
    erased: row.erased,
    unitId: row.unit_id,
    value: Math.round(row.value * 100) / 100,
  }));
}
