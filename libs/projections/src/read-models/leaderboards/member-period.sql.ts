import { countsSql } from '#domain';
import { inWindowAt, localTimeOf } from '../volunteer-activity/campaign-time.sql.js';
import { rows, type Sql } from '../../runner/projection.js';
import { periodPieces, type BucketRange } from './member-buckets.js';
import { verifiedMicrosSql } from './member-hours.sql.js';
import { subtreeRange } from './member-subtree.sql.js';

export type ValuesQuery = Readonly<{
  metric: 'verifiedHours' | 'citizensAssisted';
  campaignId?: string;
  unitId?: string;
  from?: string;
  to?: string;
  limit: number;
}>;

/** Where a board reads: the scopes of its buckets, and its subtree as a key range (or none). */
export type BoardKeys = Readonly<{
  scopes: readonly string[];
  subtree?: Readonly<{ unit: string; from: string; to: string }>;
}>;

/**
 * The keys a board over a period reads, or null for a subtree whose unit is unknown (an empty
 * board). A board over all campaigns lists every scope (member_scopes) and a subtree its key range
 * (member-subtree.sql.ts) as plain values, so that the planner sees how few rows each range holds:
 * with the bounds as subqueries it costs every range as all of its bucket, and splits the scans
 * over parallel workers whose start costs more than the rows.
 */
export async function boardKeys(
  sql: Sql,
  schema: string,
  q: ValuesQuery,
): Promise<BoardKeys | null> {
  if (q.campaignId !== undefined && q.unitId === undefined) return { scopes: [q.campaignId] };
  const [found] = await rows<{ scopes: string[] | null; path: string[] | null }>(
    sql,
    `SELECT ${q.campaignId === undefined ? `(SELECT array_agg(scope) FROM ${schema}.member_scopes)` : 'NULL::text[]'} AS scopes,
       (SELECT path FROM ${schema}.units WHERE unit_id = $1) AS path`,
    [q.unitId ?? null],
  );
  const scopes = q.campaignId === undefined ? (found!.scopes ?? []) : [q.campaignId];
  if (q.unitId === undefined) return { scopes };
  if (found!.path === null) return null;
  return { scopes, subtree: { unit: q.unitId, ...subtreeRange(found!.path) } };
}

/**
 * `SELECT member_id, total, known` for a member board over a period, from member_figures
 * (member-totals.ddl.ts): the sum of its whole buckets plus, for an instant end inside a quarter
 * hour, the facts of that quarter only (member-buckets.ts), for the members of the subtree only.
 * `total` is in citizens or microseconds; `known` says the member is enrolled (its rows have a unit
 * path); the others are looked up. The edges
 * keep the rules of the query the figures replaced: assistance by when it happened, not on a rejected
 * shift, inside the window for a campaign; verified hours by the shift's start, clipped for a
 * campaign. `param` numbers a value as a query parameter.
 */
export function memberPeriodSql(
  schema: string,
  q: ValuesQuery,
  keys: BoardKeys,
  param: (value: unknown, type: string) => string,
): string {
  // numbered on first use: a parameter the text never mentions has no type PostgreSQL can infer
  let scopeParam: string | undefined;
  const scope = () => (scopeParam ??= param(q.campaignId ?? '', 'text'));
  // a campaign's figures are what counts for it; the overall ones everything
  const citizens = q.metric === 'citizensAssisted';
  const column = q.campaignId
    ? citizens
      ? 'window_citizens'
      : 'clipped_micros'
    : citizens
      ? 'citizens'
      : 'verified_micros';
  const from = q.from === undefined ? undefined : Date.parse(q.from);
  const to = q.to === undefined ? undefined : Date.parse(q.to);
  const { ranges, edges } = periodPieces(from, to);
  const instant = (ms: number) =>
    param(ms === from ? q.from : ms === to ? q.to : new Date(ms).toISOString(), 'timestamptz');
  const unit = keys.subtree && edges.length ? param(keys.subtree.unit, 'text') : undefined;
  const parts = edges.map((edge) =>
    edgeSql(schema, q, unit, scope, `${instant(edge.from)}`, `${instant(edge.to)}`),
  );
  // in a quarter or a day, a row's scope is its shift's campaign. The ranges are the outer side of a
  // nested loop, each an index-only range scan of the key: (scope, grain, bucket, path_key); a union
  // of scans would be run by parallel workers, whose start costs more than the rows
  if (ranges.length) {
    const bound = (ms: number | null, open: string) => (ms === null ? open : instant(ms));
    const subtree = keys.subtree
      ? `AND f.path_key >= ${param(keys.subtree.from, 'text')} AND f.path_key < ${param(keys.subtree.to, 'text')}`
      : '';
    parts.unshift(`SELECT f.member_id, ${keys.subtree ? 'true' : `f.path_key <> ''`} AS known, f.${column} AS v
      FROM (VALUES ${ranges.map((r: BucketRange) => `('${r.grain}', ${bound(r.from, "'-infinity'::timestamptz")}, ${bound(r.to, "'infinity'::timestamptz")})`).join(', ')})
        AS r(grain, lo, hi)
      JOIN ${schema}.member_figures f ON f.scope = ANY(${param(keys.scopes, 'text[]')})
        AND f.grain = r.grain AND f.bucket >= r.lo AND f.bucket < r.hi ${subtree}`);
  }
  if (!parts.length)
    return `SELECT NULL::text AS member_id, 0::bigint AS total, true AS known WHERE false`;
  // inside a subtree every member has a path, so is enrolled: no row asks
  return `SELECT member_id, sum(v)::bigint AS total, ${keys.subtree ? 'true' : 'bool_or(known)'} AS known
    FROM (${parts.join(' UNION ALL ')}) x GROUP BY member_id`;
}

/** What happened in [lo, hi), a piece of one or two quarter hours, read from the facts. */
function edgeSql(
  schema: string,
  q: ValuesQuery,
  unit: string | undefined,
  scope: () => string,
  lo: string,
  hi: string,
): string {
  const s = schema;
  const between = (column: string) => `${column} >= ${lo} AND ${column} < ${hi}`;
  // a member of the subtree has a path, so is enrolled; without a subtree, the board looks it up
  const [member, known] = unit
    ? [
        `JOIN ${s}.member_paths mp ON mp.member_id = s.member_id AND mp.path @> ARRAY[${unit}]`,
        'true',
      ]
    : ['', 'false'];
  if (q.metric === 'citizensAssisted') {
    return q.campaignId
      ? `SELECT s.member_id, ${known} AS known, a.citizens::bigint AS v FROM ${s}.campaigns c
         JOIN ${s}.assistance a ON a.campaign_id = c.campaign_id
         JOIN ${s}.shifts s ON s.shift_id = a.shift_id AND s.campaign_id = c.campaign_id AND ${countsSql.citizens('s.status')}
         ${member} ${localTimeOf('a.occurred_at', 'l')}
         WHERE c.campaign_id = ${scope()} AND ${inWindowAt('a.occurred_at', 'l.at')} AND ${between('a.occurred_at')}`
      : `SELECT s.member_id, ${known} AS known, a.citizens::bigint AS v FROM ${s}.assistance a
         JOIN ${s}.shifts s ON s.shift_id = a.shift_id AND ${countsSql.citizens('s.status')} ${member}
         WHERE ${between('a.occurred_at')}`;
  }
  const micros = q.campaignId ? verifiedMicrosSql.clipped(s) : verifiedMicrosSql.whole();
  return `SELECT s.member_id, ${known} AS known, ${micros} AS v FROM ${s}.shifts s ${member}
    WHERE ${countsSql.verifiedHours('s.status')} AND ${between('s.started_at')}
      ${q.campaignId ? `AND s.campaign_id = ${scope()}` : ''}`;
}
