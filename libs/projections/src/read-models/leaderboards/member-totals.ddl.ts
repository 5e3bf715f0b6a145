import { ident, type Sql } from '../../runner/projection.js';
import { rankingIndexesSql } from './member-top-totals.sql.js';

/**
 * The member leaderboards' rows (issue 10: read models that are answers), in the volunteer-activity
 * slot because they follow its shifts and assistance in the same batch:
 *
 * - `member_figures`: per scope × grain × bucket × member (grains and buckets: member-buckets.ts),
 *   keyed with the member's unit path between bucket and member (`path_key`, member-subtree.sql.ts)
 *   and carrying the counters in the key's index, so that a subtree's period is a few index-only
 *   range scans (the heap is touched only where the visibility map is not yet set),
 *   citizens assisted and whole verified hours (microseconds), and what of them counts for the scope's
 *   campaign (`window_citizens`: assistance inside the window; `clipped_micros`: verified hours
 *   clipped to the daily window). In a quarter or a day, the scope is the shift's campaign (`''` for
 *   none): one row carries both, so an assistance writes two bucket rows, not four. The totals (grain
 *   `t`, bucket `-infinity`) are kept apart: scope `''` holds each member's overall citizens and hours,
 *   a campaign's scope only its window figures. Citizens count by when the assistance happened (not
 *   on a rejected shift), hours by the shift's start.
 * - `member_scopes`: every scope ever written, so that a board over all campaigns reads each scope's
 *   bucket range by the primary key.
 * - `member_shift_shares`: what each shift last gave (whether its citizens counted, its start, whole
 *   and clipped verified micros), so that a correction, verification or rejection moves the difference
 *   without reading the facts again. A shift that gives the default (citizens counted, no verified
 *   hours) has no row.
 * - `member_paths`: each member's unit path (root first): the figures' `path_key` is made from it
 *   on write, and a period's edges find a subtree by its GIN index (`path @> ARRAY[unit]`).
 *
 * The total rows (grain `t`) are also indexed in each board's order, rounded value descending then
 * member id (member-top-totals.sql.ts): a board without a period reads the first `limit` entries.
 */
export const memberTotalsTables = [
  'member_figures',
  'member_scopes',
  'member_shift_shares',
  'member_paths',
] as const;

export async function createMemberTotalsTables(sql: Sql, schema: string): Promise<void> {
  const s = ident(schema);
  await sql.query(`
    CREATE TABLE ${s}.member_figures (
      scope text NOT NULL, grain text NOT NULL, bucket timestamptz NOT NULL,
      path_key text COLLATE "C" NOT NULL, member_id text NOT NULL,
      citizens bigint NOT NULL, verified_micros bigint NOT NULL,
      window_citizens bigint NOT NULL, clipped_micros bigint NOT NULL,
      PRIMARY KEY (scope, grain, bucket, path_key, member_id)
        INCLUDE (citizens, verified_micros, window_citizens, clipped_micros))
      -- a board reads a few hundred rows by the key: parallel workers would cost more than they save
      WITH (parallel_workers = 0);
    CREATE TABLE ${s}.member_scopes (scope text PRIMARY KEY);
    CREATE TABLE ${s}.member_shift_shares (
      shift_id text PRIMARY KEY, counted boolean NOT NULL, started_at timestamptz,
      verified_micros bigint NOT NULL, clipped_micros bigint NOT NULL);
    CREATE TABLE ${s}.member_paths (member_id text PRIMARY KEY, path text[] NOT NULL);
  `);
}

/** Built once the slot has caught up (a rebuild appends without them). */
export async function createMemberTotalsIndexes(sql: Sql, schema: string): Promise<void> {
  const s = ident(schema);
  // the boards without a period read the head of a ranking (member-top-totals.sql.ts); a period's
  // edges read the facts of one quarter hour of assistance, of shift starts
  await sql.query(`
    CREATE INDEX ON ${s}.member_paths USING gin (path);
    ${rankingIndexesSql(`${s}.member_figures`).join(';\n    ')};
    CREATE INDEX ON ${s}.assistance (occurred_at);
    CREATE INDEX ON ${s}.shifts (started_at);
  `);
}
