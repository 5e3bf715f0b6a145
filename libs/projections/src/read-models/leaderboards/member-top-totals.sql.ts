import type { BoardKeys, ValuesQuery } from './member-period.sql.js';

type Metric = ValuesQuery['metric'];

/**
 * A total row's figure (citizens or microseconds): a row holds one citizens figure and one hours
 * figure, overall (`citizens`, `verified_micros`) or a campaign's (`window_citizens`,
 * `clipped_micros`), the other being 0, hence the sums.
 */
export const totalFigureSql = (metric: Metric, f: string) =>
  metric === 'verifiedHours'
    ? `(${f}verified_micros + ${f}clipped_micros)`
    : `(${f}citizens + ${f}window_citizens)`;

/**
 * What ranks compare: the value rounded to hundredths, in integers. Citizens are whole; hours are
 * microseconds, rounded half up to hundredths of an hour (36,000,000 µs), as round(x, 2) rounds.
 * The ranking indexes (member-totals.ddl.ts) are on this expression of totalFigureSql: a query
 * orders by the index only if its expression is the same tree, so both are written by this function.
 */
export const roundedSql = (metric: Metric, total: string) =>
  metric === 'verifiedHours' ? `((${total} + 18000000) / 36000000)` : total;

/**
 * The ranking indexes of the total rows, one per metric, in the order of a board: rounded value
 * descending, then member id (member-leaderboard.query.ts breaks ties at the cut by id). Partial on
 * a positive figure, so they hold exactly the rows a board ranks; the counters and the path key are
 * included so that a board, a subtree's too, is read from the index alone.
 */
export const rankingIndexesSql = (table: string) =>
  (['verifiedHours', 'citizensAssisted'] as const).map((metric) => {
    const figure = totalFigureSql(metric, '');
    return `CREATE INDEX ON ${table} (scope, ${roundedSql(metric, figure)} DESC, member_id)
      INCLUDE (citizens, verified_micros, window_citizens, clipped_micros, path_key)
      WHERE grain = 't' AND ${figure} > 0`;
  });

/**
 * The first `limit` members of a board without a period, in the board's order (rounded value
 * descending, member id), as `member_id, total, rounded`: the head of a ranking index (above), so a
 * board reads `limit` index entries whatever the number of members. Ranking these rows is exact: a
 * rank only depends on the higher values, all of which come before. A subtree is a range of the rows'
 * path key (member-subtree.sql.ts), checked in the index: the planner reads the ranking in order and
 * skips other subtrees' rows, or, for a small subtree, reads its range of the primary key and sorts.
 * Members the board does not know (figures of a member never enrolled) are left out, as everywhere.
 */
export function topTotalsSql(
  schema: string,
  q: ValuesQuery,
  keys: BoardKeys | undefined,
  param: (value: unknown, type: string) => string,
): string {
  const figure = totalFigureSql(q.metric, 'f.');
  const rounded = roundedSql(q.metric, figure);
  const subtree = keys?.subtree
    ? `AND f.path_key >= ${param(keys.subtree.from, 'text')} AND f.path_key < ${param(keys.subtree.to, 'text')}`
    : '';
  return `SELECT f.member_id, ${figure} AS total, ${rounded} AS rounded
    FROM ${schema}.member_figures f
    WHERE f.scope = ${param(q.campaignId ?? '', 'text')} AND f.grain = 't' AND ${figure} > 0 ${subtree}
      AND EXISTS (SELECT 1 FROM ${schema}.members e WHERE e.member_id = f.member_id)
    ORDER BY ${rounded} DESC, f.member_id LIMIT ${param(q.limit, 'int')}`;
}
