import type { ValuesQuery } from './member-period.sql.js';
import { subtreeRangeSql } from './member-subtree.sql.js';

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

/** How far down its ranking a subtree's board looks, per entry it shows, before reading its range. */
const HEAD_PER_ENTRY = 50;

/**
 * The first `limit` members of a board without a period, in the board's order (rounded value
 * descending, member id), as `member_id, total, rounded`: the head of a ranking index (above), so a
 * board reads `limit` index entries whatever the number of members. Ranking these rows is exact: a
 * rank only depends on the higher values, all of which come before. Members the board does not know
 * (figures of a member never enrolled) are left out, as everywhere; inside a subtree every row has
 * its member's path, so is enrolled, and none is looked up.
 *
 * A subtree is a range of the rows' path key (member-subtree.sql.ts), found from the unit's row in
 * the same statement, with no round trip before it (a unit nobody registered has no range: nothing
 * is read). Its bounds are then unknown when the statement is planned, so the planner cannot weigh
 * reading the ranking in order (a subtree holding much of the scope) against reading the subtree's
 * range and sorting (a small one, for which the ranking would be read to its end). The statement
 * chooses as it runs: it reads the first `limit` × HEAD_PER_ENTRY entries of the ranking and keeps
 * the subtree's. When they are `limit`, they are the board: every member of the subtree above one
 * of them is in that head. Otherwise the subtree holds under 1/HEAD_PER_ENTRY of the ranking, and
 * its range of the primary key is read and sorted: the total rows' bucket (`-infinity`) makes it
 * one range of the key, and OFFSET 0 keeps the board's order out of that scan (which the planner
 * would otherwise read as the whole ranking filtered by the range).
 */
export function topTotalsSql(
  schema: string,
  q: ValuesQuery,
  param: (value: unknown, type: string) => string,
): string {
  const figure = totalFigureSql(q.metric, 'f.');
  const rounded = roundedSql(q.metric, figure);
  const limit = param(q.limit, 'int');
  const ranked = `SELECT f.member_id, f.path_key, ${figure} AS total, ${rounded} AS rounded
    FROM ${schema}.member_figures f
    WHERE f.scope = ${param(q.campaignId ?? '', 'text')} AND f.grain = 't' AND ${figure} > 0`;
  const order = `ORDER BY ${rounded} DESC, f.member_id`;
  if (q.unitId === undefined)
    return `${ranked}
      AND EXISTS (SELECT 1 FROM ${schema}.members e WHERE e.member_id = f.member_id)
      ${order} LIMIT ${limit}`;
  const inSubtree = (key: string) => `${key} >= (SELECT lo FROM k) AND ${key} < (SELECT hi FROM k)`;
  return `WITH k AS (${subtreeRangeSql(schema, param(q.unitId, 'text'))}),
    head AS (
      SELECT h.member_id, h.total, h.rounded
      FROM (${ranked} AND EXISTS (SELECT FROM k)
        ${order} LIMIT ${param(q.limit * HEAD_PER_ENTRY, 'int')}) h
      WHERE ${inSubtree('h.path_key')}
      ORDER BY h.rounded DESC, h.member_id LIMIT ${limit})
    SELECT member_id, total, rounded FROM head WHERE (SELECT count(*) FROM head) = ${limit}
    UNION ALL (
      SELECT r.member_id, r.total, r.rounded
      FROM (${ranked} AND f.bucket = '-infinity' AND ${inSubtree('f.path_key')}
        AND (SELECT count(*) FROM head) < ${limit} OFFSET 0) r
      ORDER BY r.rounded DESC, r.member_id LIMIT ${limit})`;
}
