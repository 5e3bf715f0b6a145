import type { ValuesQuery } from './member-period.sql.js';

/**
 * The totals that can reach the first `limit` ranks, from the index on the total rows (member-totals
 * ddl): the `limit`-th largest value among members in scope (the cut), then every total whose value
 * rounds (2 decimals, as ranks compare) to at least the cut's. Ranking that subset is exact: a rank
 * only depends on the higher values, all of which are in it, and so are all ties at the cut. A total
 * row holds one citizens figure and one hours figure (overall, or a campaign's), the other being 0,
 * hence the sums the indexes are on. The few members are looked up here: all of them are `known`.
 */
export function topTotalsSql(
  schema: string,
  q: ValuesQuery,
  param: (value: unknown, type: string) => string,
): string {
  const hours = q.metric === 'verifiedHours';
  const figure = hours
    ? '(f.verified_micros + f.clipped_micros)'
    : '(f.citizens + f.window_citizens)';
  const scoped = (alias: string) =>
    q.unitId
      ? `JOIN ${schema}.member_paths ${alias} ON ${alias}.member_id = f.member_id AND ${alias}.path @> ARRAY[${param(q.unitId, 'text')}]`
      : '';
  const s = param(q.campaignId ?? '', 'text');
  const cut = `SELECT ${figure} AS x FROM ${schema}.member_figures f
    JOIN ${schema}.members m ON m.member_id = f.member_id ${scoped('cp')}
    WHERE f.scope = ${s} AND f.grain = 't' AND ${figure} > 0
    ORDER BY ${figure} DESC OFFSET ${param(Math.max(0, q.limit - 1), 'int')} LIMIT 1`;
  const bound = hours ? `floor((round(c.x / 3600000000.0, 2) - 0.005) * 3600000000) - 1` : 'c.x';
  return `SELECT f.member_id, ${figure} AS total, true AS known FROM ${schema}.member_figures f
    JOIN ${schema}.members m ON m.member_id = f.member_id ${scoped('vp')}
    WHERE f.scope = ${s} AND f.grain = 't' AND ${figure} > 0
      AND ${figure} >= (SELECT COALESCE(max(${bound}), 1)::bigint FROM (${cut}) c)`;
}
