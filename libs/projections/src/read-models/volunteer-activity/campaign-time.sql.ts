/**
 * SQL fragments for the campaign rules (../shared/DESIGN.md "Rules"), evaluated by PostgreSQL over the
 * fact tables. `c` is a campaigns row; instants become local time with `AT TIME ZONE c.timezone`.
 * Dates are inclusive, the daily window half-open [from, to); `to` may be 24:00.
 */
export const inWindow = (instant: string) => `(
  (${instant} AT TIME ZONE c.timezone)::date BETWEEN c.start_date AND c.end_date
  AND (${instant} AT TIME ZONE c.timezone)::time >= c.window_from
  AND (${instant} AT TIME ZONE c.timezone)::time < c.window_to)`;

export const localDate = (instant: string) => `(${instant} AT TIME ZONE c.timezone)::date`;

/**
 * One row per (shift, campaign day it touches) with the hours clipped to that day's window, for ended
 * shifts of campaign `c` (alias `s` for shifts). A shift across midnight or over several days yields a
 * row for each day; an open (or overdue) shift has no end and yields nothing.
 */
export const clippedShiftDays = (schema: string, where = 'true') => `
  SELECT s.shift_id, s.member_id, s.status, s.started_at, d.day::date AS date,
    GREATEST(0, EXTRACT(EPOCH FROM
      LEAST(s.ended_at, (d.day::date + c.window_to) AT TIME ZONE c.timezone)
      - GREATEST(s.started_at, (d.day::date + c.window_from) AT TIME ZONE c.timezone)) / 3600.0) AS hours
  FROM ${schema}.shifts s
  CROSS JOIN LATERAL generate_series(
    (s.started_at AT TIME ZONE c.timezone)::date::timestamp,
    (s.ended_at AT TIME ZONE c.timezone)::date::timestamp, interval '1 day') AS d(day)
  WHERE s.campaign_id = c.campaign_id AND s.ended_at IS NOT NULL AND s.status IN ('pending', 'verified')
    AND d.day::date BETWEEN c.start_date AND c.end_date AND ${where}`;

export const round2 = (value: number | string | null): number => Math.round(Number(value ?? 0) * 100) / 100;
