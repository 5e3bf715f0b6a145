import { countsSql } from '#domain';
import { inWindowLocal, localTimeOf } from '../volunteer-activity/campaign-time.sql.js';
import { periodPieces, type BucketRange } from './member-buckets.js';
import { verifiedMicrosSql } from './member-hours.sql.js';

export type ValuesQuery = Readonly<{
  metric: 'verifiedHours' | 'citizensAssisted';
  campaignId?: string;
  unitId?: string;
  from?: string;
  to?: string;
  limit: number;
}>;

/**
 * `SELECT member_id, value` for a member board, from member_figures (member-totals.ddl.ts): the total
 * row without a period; with one, the sum of its whole buckets plus, for an instant end inside a
 * quarter hour, the facts of that quarter only (member-buckets.ts). The edges keep the rules of the
 * query the figures replaced: assistance by when it happened, not on a rejected shift, inside the
 * window for a campaign; verified hours by the shift's start, clipped for a campaign. `param` numbers
 * a value as a query parameter.
 */
export function memberValuesSql(
  schema: string,
  q: ValuesQuery,
  param: (value: unknown, type: string) => string,
): string {
  // numbered on first use: a parameter the text never mentions has no type PostgreSQL can infer
  let scopeParam: string | undefined;
  const scope = () => (scopeParam ??= param(q.campaignId ?? '', 'text'));
  const figures = `${schema}.member_figures`;
  const value = (sum: string) =>
    q.metric === 'citizensAssisted' ? `${sum}::float8` : `(${sum} / 3600000000.0)::float8`;
  // a campaign's figures are what counts for it; the overall ones everything
  const citizens = q.metric === 'citizensAssisted';
  const column = q.campaignId
    ? citizens
      ? 'window_citizens'
      : 'clipped_micros'
    : citizens
      ? 'citizens'
      : 'verified_micros';
  if (q.from === undefined && q.to === undefined) return topTotals(schema, q, scope, param);
  const from = q.from === undefined ? undefined : Date.parse(q.from);
  const to = q.to === undefined ? undefined : Date.parse(q.to);
  const { ranges, edges } = periodPieces(from, to);
  const instant = (ms: number) =>
    param(ms === from ? q.from : ms === to ? q.to : new Date(ms).toISOString(), 'timestamptz');
  const range = (r: BucketRange) =>
    [
      `f.grain = '${r.grain}'`,
      r.from === null ? null : `f.bucket >= ${instant(r.from)}`,
      r.to === null ? null : `f.bucket < ${instant(r.to)}`,
    ]
      .filter(Boolean)
      .join(' AND ');
  const parts = edges.map((edge) =>
    edgeSql(schema, q, scope, `${instant(edge.from)}`, `${instant(edge.to)}`),
  );
  // in a quarter or a day, a row's scope is its shift's campaign: a board over all of them reads
  // each scope's ranges by the key (member_scopes lists them); one scan for all the ranges (a bitmap
  // OR on the key), not one per range: a union of small scans tempts the planner into parallel
  // workers, whose start costs more than the rows
  if (ranges.length)
    parts.unshift(`SELECT f.member_id, f.${column} AS v FROM ${figures} f
      WHERE ${q.campaignId ? `f.scope = ${scope()}` : `f.scope IN (SELECT scope FROM ${schema}.member_scopes)`}
        AND (${ranges.map((r) => `(${range(r)})`).join(' OR ')})`);
  if (!parts.length) return `SELECT NULL::text AS member_id, 0::float8 AS value WHERE false`;
  return `SELECT member_id, ${value('sum(v)')} AS value FROM (${parts.join(' UNION ALL ')}) x GROUP BY member_id`;
}

/** What happened in [lo, hi), a piece of one or two quarter hours, read from the facts. */
function edgeSql(
  schema: string,
  q: ValuesQuery,
  scope: () => string,
  lo: string,
  hi: string,
): string {
  const s = schema;
  const between = (column: string) => `${column} >= ${lo} AND ${column} < ${hi}`;
  if (q.metric === 'citizensAssisted') {
    return q.campaignId
      ? `SELECT s.member_id, a.citizens::bigint AS v FROM ${s}.campaigns c
         JOIN ${s}.assistance a ON a.campaign_id = c.campaign_id
         JOIN ${s}.shifts s ON s.shift_id = a.shift_id AND s.campaign_id = c.campaign_id AND ${countsSql.citizens('s.status')}
         ${localTimeOf('a.occurred_at', 'l')}
         WHERE c.campaign_id = ${scope()} AND ${inWindowLocal('l.at')} AND ${between('a.occurred_at')}`
      : `SELECT s.member_id, a.citizens::bigint AS v FROM ${s}.assistance a
         JOIN ${s}.shifts s ON s.shift_id = a.shift_id AND ${countsSql.citizens('s.status')}
         WHERE ${between('a.occurred_at')}`;
  }
  const micros = q.campaignId ? verifiedMicrosSql.clipped(s) : verifiedMicrosSql.whole();
  return `SELECT s.member_id, ${micros} AS v FROM ${s}.shifts s
    WHERE ${countsSql.verifiedHours('s.status')} AND ${between('s.started_at')}
      ${q.campaignId ? `AND s.campaign_id = ${scope()}` : ''}`;
}

/**
 * The totals that can reach the first `limit` ranks, from the index on the total rows (member-totals
 * ddl): the `limit`-th largest value among members in scope (the cut), then every total whose value
 * rounds (2 decimals, as ranks compare) to at least the cut's. Ranking that subset is exact: a rank
 * only depends on the higher values, all of which are in it, and so are all ties at the cut. A total
 * row holds one citizens figure and one hours figure (overall, or a campaign's), the other being 0,
 * hence the sums the indexes are on.
 */
function topTotals(
  schema: string,
  q: ValuesQuery,
  scope: () => string,
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
  const s = scope();
  const cut = `SELECT ${figure} AS x FROM ${schema}.member_figures f
    JOIN ${schema}.members m ON m.member_id = f.member_id ${scoped('cp')}
    WHERE f.scope = ${s} AND f.grain = 't' AND ${figure} > 0
    ORDER BY ${figure} DESC OFFSET ${param(Math.max(0, q.limit - 1), 'int')} LIMIT 1`;
  const bound = hours ? `floor((round(c.x / 3600000000.0, 2) - 0.005) * 3600000000) - 1` : 'c.x';
  const value = hours ? `(${figure} / 3600000000.0)::float8` : `${figure}::float8`;
  return `SELECT f.member_id, ${value} AS value FROM ${schema}.member_figures f ${scoped('vp')}
    WHERE f.scope = ${s} AND f.grain = 't' AND ${figure} > 0
      AND ${figure} >= (SELECT COALESCE(max(${bound}), 1)::bigint FROM (${cut}) c)`;
}
