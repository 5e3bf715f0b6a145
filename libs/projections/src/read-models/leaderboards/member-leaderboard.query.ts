import { rows, type Sql } from '../../runner/projection.js';
import { ERASED_NAME, nameFromColumn, type StoredName } from '../member-names.js';
import { boardKeys, memberPeriodSql } from './member-period.sql.js';
import { roundedSql, topTotalsSql } from './member-top-totals.sql.js';

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

/**
 * Members ranked by verified hours or citizens assisted; ties share a rank (1, 2, 2, 4). Facts count by
 * when they happened: assistance by occurredAt, a shift by startedAt. With a campaign, only what counts
 * for its progress: assistance inside the window and verified hours clipped to the daily window.
 * Assistance on a rejected shift counts for nothing. The values are the rows member-totals keeps (a
 * total: member-top-totals.sql.ts, or a period's buckets: member-period.sql.ts), each already
 * restricted to the subtree. Only the first `limit` values by rounded value are ranked: every value
 * above one of them is among them, so their ranks are their ranks on the whole board; only those
 * members' rows are read for their names.
 */
export async function memberLeaderboard(
  sql: Sql,
  schema: string,
  q: MemberLeaderboardQuery,
): Promise<LeaderboardEntry[]> {
  const params: unknown[] = [];
  const param = (value: unknown, type: string) => `$${params.push(value)}::${type}`;
  const period = q.from !== undefined || q.to !== undefined;
  // a period first finds its keys (member-period.sql.ts); a board without one finds its subtree
  // in its own statement
  const keys = period ? await boardKeys(sql, schema, q) : undefined;
  if (keys === null) return []; // a subtree under a unit nobody registered
  const hours = q.metric === 'verifiedHours';
  const rounded = roundedSql(q.metric, 'v.total');
  // a period sums its buckets per member and keeps the first `limit`; without one, the totals come
  // in the board's order from their ranking index
  const top = period
    ? `WITH v AS (${memberPeriodSql(schema, q, keys!, param)})
       SELECT v.member_id, v.total, ${rounded} AS rounded FROM v
       WHERE v.total > 0
         AND (v.known OR EXISTS (SELECT 1 FROM ${schema}.members e WHERE e.member_id = v.member_id))
       ORDER BY rounded DESC, v.member_id LIMIT ${param(q.limit, 'int')}`
    : topTotalsSql(schema, q, param);
  // the value shown is the figure the ranks compare (hundredths of an hour, half up on whole
  // microseconds): rounding a float of the hours instead showed 0.575 h as 0.57 beside a 0.58 of the
  // same rank
  const value = hours ? '(t.rounded / 100.0)::float8' : 't.total::float8';
  const found = await rows<{
    rank: string;
    member_id: string;
    display_name: string | null;
    erased: boolean;
    unit_id: string;
    value: number;
  }>(
    sql,
    // each of the few members is looked up by its key: a plain join is planned as a hash join over
    // every member when the table is small enough, and a board would read all of them (LIMIT keeps
    // the lookup a subquery the planner cannot merge into a join)
    `WITH top AS (${top})
     SELECT rank() OVER (ORDER BY t.rounded DESC) AS rank, t.member_id, ${value} AS value,
       m.display_name, m.erased, m.unit_id
     FROM top t CROSS JOIN LATERAL (
       SELECT display_name, erased, unit_id FROM ${schema}.members m
       WHERE m.member_id = t.member_id LIMIT 1) m
     ORDER BY rank, t.member_id`,
    params,
  );
  return found.map((row) => ({
    rank: Number(row.rank),
    memberId: row.member_id,
    displayName: row.erased ? ERASED_NAME : nameFromColumn(row.display_name),
    erased: row.erased,
    unitId: row.unit_id,
    value: Number(row.value),
  }));
}
