/**
 * SQL fragments for the campaign rules (../shared/DESIGN.md "Rules"), evaluated by PostgreSQL over the
 * fact tables. `c` is a campaigns row; instants become local time with `AT TIME ZONE c.timezone`.
 * Dates are inclusive, the daily window half-open [from, to); `to` may be 24:00.
 */
export const inWindow = (instant: string) => inWindowLocal(`(${instant} AT TIME ZONE c.timezone)`);

/** The same test on a local timestamp already computed (see `localTimeOf`). */
export const inWindowLocal = (local: string) => `(
  ${local}::date BETWEEN c.start_date AND c.end_date AND ${local}::time >= c.window_from AND ${local}::time < c.window_to)`;

/**
 * Joins `alias.at`, the instant in campaign `c`'s local time, computed once per row: written inline, the
 * conversion (a time-zone lookup by name) runs for every use, four times a row for "inside the window on
 * which day", which dominated campaign progress. OFFSET 0 keeps the planner from inlining it back.
 */
export const localTimeOf = (instant: string, alias: string) =>
  `CROSS JOIN LATERAL (SELECT ${instant} AT TIME ZONE c.timezone AS at OFFSET 0) ${alias}`;

export const localDate = (instant: string) => `(${instant} AT TIME ZONE c.timezone)::date`;

/**
 * One row per (shift, campaign day it touches) with the hours clipped to that day's window, for ended
 * shifts of campaign `c` (alias `s` for shifts). A shift across midnight or over several days yields a
 * row for each day; an open (or overdue) shift has no end and yields nothing. The days are those of
 * the campaign only, so that a shift whose stored times lie years apart costs no more than its campaign.
 */
export const clippedShiftDays = (schema: string, where = 'true') => `
  SELECT s.shift_id, s.member_id, s.status, s.started_at, d.day::date AS date,
    GREATEST(0, EXTRACT(EPOCH FROM
      LEAST(s.ended_at, (d.day::date + c.window_to) AT TIME ZONE c.timezone)
      - GREATEST(s.started_at, (d.day::date + c.window_from) AT TIME ZONE c.timezone)) / 3600.0) AS hours
  FROM ${schema}.shifts s
  CROSS JOIN LATERAL generate_series(
    GREATEST((s.started_at AT TIME ZONE c.timezone)::date, c.start_date)::timestamp,
    LEAST((s.ended_at AT TIME ZONE c.timezone)::date, c.end_date)::timestamp, interval '1 day') AS d(day)
  WHERE s.campaign_id = c.campaign_id AND s.ended_at IS NOT NULL AND s.status IN ('pending', 'verified')
    AND d.day::date BETWEEN c.start_date AND c.end_date AND ${where}`;

export const round2 = (value: number | string | null): number =>
  Math.round(Number(value ?? 0) * 100) / 100;
