import type { LeaderboardEntry, MemberLeaderboardQuery } from '#projections';
import { rows, type Sql } from '../../../libs/projections/src/runner/projection.js';
import { nameFromColumn } from '../../../libs/projections/src/read-models/member-names.js';
import {
  clippedShiftDays,
  inWindowAt,
  localTimeOf,
} from '../../../libs/projections/src/read-models/volunteer-activity/campaign-time.sql.js';

const ERASED_NAME = '(erased)';

/**
 * The reference: the member leaderboard aggregated from the facts at read time, as the query did
 * before the per-member totals (issue 10). Tests compare the totals' answers with it.
 * Members ranked by verified hours or citizens assisted; ties share a rank (1, 2, 2, 4). Facts count by
 * when they happened: assistance by occurredAt, a shift by startedAt. With a campaign, only what counts
 * for its progress: assistance inside the window and verified hours clipped to the daily window.
 * Assistance on a rejected shift counts for nothing.
 */
export async function memberLeaderboardFromFacts(
  sql: Sql,
  schema: string,
  q: MemberLeaderboardQuery,
): Promise<LeaderboardEntry[]> {
  const params: unknown[] = [
    q.from ?? null,
    q.to ?? null,
    q.campaignId ?? null,
    q.unitId ?? null,
    q.limit,
  ];
  const campaign = `(SELECT * FROM ${schema}.campaigns WHERE campaign_id = $3) c`;
  const period = (column: string) =>
    `($1::timestamptz IS NULL OR ${column} >= $1) AND ($2::timestamptz IS NULL OR ${column} < $2)`;
  let values: string;
  if (q.metric === 'citizensAssisted') {
    values = q.campaignId
      ? `SELECT s.member_id, sum(a.citizens)::float8 AS value FROM ${campaign}
         JOIN ${schema}.assistance a ON a.campaign_id = c.campaign_id
         JOIN ${schema}.shifts s ON s.shift_id = a.shift_id AND s.campaign_id = c.campaign_id AND s.status <> 'rejected'
         ${localTimeOf('a.occurred_at', 'l')}
         WHERE ${inWindowAt('a.occurred_at', 'l.at')} AND ${period('a.occurred_at')} GROUP BY 1`
      : q.from || q.to
        ? `SELECT s.member_id, sum(a.citizens)::float8 AS value FROM ${schema}.assistance a
           JOIN ${schema}.shifts s ON s.shift_id = a.shift_id AND s.status <> 'rejected'
           WHERE ${period('a.occurred_at')} GROUP BY 1`
        : `SELECT s.member_id, sum(s.citizens)::float8 AS value FROM ${schema}.shifts s WHERE s.status <> 'rejected' GROUP BY 1`;
  } else {
    values = q.campaignId
      ? `SELECT h.member_id, sum(h.hours)::float8 AS value FROM ${campaign}
         CROSS JOIN LATERAL (${clippedShiftDays(schema, "s.status = 'verified'")}) h
         WHERE ${period('h.started_at')} GROUP BY 1`
      : `SELECT s.member_id, sum(EXTRACT(EPOCH FROM s.ended_at - s.started_at) / 3600.0)::float8 AS value
         FROM ${schema}.shifts s WHERE s.status = 'verified' AND ${period('s.started_at')} GROUP BY 1`;
  }
  const found = await rows<{
    rank: string;
    member_id: string;
    display_name: string | null;
    erased: boolean;
    unit_id: string;
    value: number;
    shown: number;
  }>(
    sql,
    `WITH typed AS (SELECT $1::timestamptz, $2::timestamptz, $3::text, $4::text), -- every parameter typed even when unused
     v AS (${values}),
     scoped AS (
       SELECT v.member_id, v.value, m.display_name, m.erased, m.unit_id FROM v
       JOIN ${schema}.members m ON m.member_id = v.member_id
       WHERE v.value > 0 AND ($4::text IS NULL OR EXISTS (
         SELECT 1 FROM ${schema}.units u WHERE u.unit_id = m.unit_id AND u.path @> ARRAY[$4::text])))
     SELECT rank() OVER (ORDER BY round(value::numeric, 2) DESC) AS rank,
       round(value::numeric, 2)::float8 AS shown, * FROM scoped
     ORDER BY rank, member_id LIMIT $5`,
    params,
  );
  return found.map((row) => ({
    rank: Number(row.rank),
    memberId: row.member_id,
    displayName: row.erased ? ERASED_NAME : nameFromColumn(row.display_name),
    erased: row.erased,
    unitId: row.unit_id,
    value: row.shown, // the figure ranked, half up (not a float of the hours rounded)
  }));
}
