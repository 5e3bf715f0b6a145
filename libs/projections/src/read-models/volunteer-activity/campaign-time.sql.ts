/**
 * SQL fragments for the campaign rules (../shared/DESIGN.md "Rules"), evaluated by PostgreSQL over the
 * fact tables. `c` is a campaigns row; instants become local time with `AT TIME ZONE c.timezone`.
 * Dates are inclusive, the daily window half-open [from, to); `to` may be 24:00.
 *
 * The window of a day is a pair of instants, computed twice: here, for the member boards' clipped
 * hours (stored by member-totals, and at the edges of a period), and in #domain's `windowOn`
 * (libs/domain/src/campaign/time-window.ts), for campaign progress and the boards' window citizens.
 * Both follow one rule and must give the same instants: a window opens at the FIRST time the clock
 * reads `from` that day and closes at the LAST time it reads `to` (24:00: the next day's first
 * midnight); a wall time the clocks skip is read at the offset before the jump. An instant's day is
 * the date its clock shows, which makes a day start at its first midnight.
 * test/projections/campaign-window-dst.int.spec.ts runs both on DST days, and
 * campaign-window-twins.int.spec.ts compares them around every offset change of unusual zones.
 */

/**
 * The first instant wall time `wall` (a timestamp) occurs in the campaign's zone. PostgreSQL reads a
 * repeated wall time at the offset in force after the change (the LAST occurrence) and a skipped one
 * at the offset before it; the earlier reading is the same wall time at the offset the zone had a day
 * before, kept when the zone really shows `wall` at that instant.
 */
const firstOccurrence = (wall: string) => {
  const dayBefore = `((${wall}) - interval '1 day')`;
  const earlier = `(((${wall}) - ((${dayBefore} AT TIME ZONE 'UTC') AT TIME ZONE c.timezone - ${dayBefore})) AT TIME ZONE 'UTC')`;
  return `(CASE WHEN ${earlier} AT TIME ZONE c.timezone = (${wall}) THEN ${earlier}
    ELSE (${wall}) AT TIME ZONE c.timezone END)`;
};

/** When the daily window of local date `day` opens (timestamptz). */
export const windowOpens = (day: string) => firstOccurrence(`(${day})::date + c.window_from`);

/** When it closes: the last occurrence of `to` (PostgreSQL's reading), or the next day's start. */
export const windowCloses = (day: string) => `(CASE WHEN c.window_to = '24:00'
    THEN ${firstOccurrence(`(${day})::date + 1 + time '00:00'`)}
    ELSE ((${day})::date + c.window_to) AT TIME ZONE c.timezone END)`;

export const inWindow = (instant: string) =>
  inWindowAt(instant, `(${instant} AT TIME ZONE c.timezone)`);

/** The same test given the instant's local time already computed (see `localTimeOf`). */
export const inWindowAt = (instant: string, local: string) => `(
  ${local}::date BETWEEN c.start_date AND c.end_date
  AND ${instant} >= ${windowOpens(`${local}::date`)} AND ${instant} < ${windowCloses(`${local}::date`)})`;

/**
 * Joins `alias.at`, the instant in campaign `c`'s local time, computed once per row: written inline, the
 * conversion (a time-zone lookup by name) runs for every use, four times a row for "inside the window on
 * which day", which dominated campaign progress. OFFSET 0 keeps the planner from inlining it back.
 */
export const localTimeOf = (instant: string, alias: string) =>
  `CROSS JOIN LATERAL (SELECT ${instant} AT TIME ZONE c.timezone AS at OFFSET 0) ${alias}`;

export const localDate = (instant: string) => `(${instant} AT TIME ZONE c.timezone)::date`;

/**
 * The campaign days a span [started, ended) of campaign `c` touches, as `d.day` (timestamps), with
 * that day's window as `w.opens`, `w.closes`: only the campaign's days, so that a shift whose stored
 * times lie years apart costs no more than its campaign.
 */
export const spanDays = (started: string, ended: string) => `
  CROSS JOIN LATERAL generate_series(
    GREATEST((${started} AT TIME ZONE c.timezone)::date, c.start_date)::timestamp,
    LEAST((${ended} AT TIME ZONE c.timezone)::date, c.end_date)::timestamp, interval '1 day') AS d(day)
  CROSS JOIN LATERAL (SELECT ${windowOpens('d.day')} AS opens, ${windowCloses('d.day')} AS closes OFFSET 0) w`;

/**
 * One row per (shift, campaign day it touches) with the hours clipped to that day's window, for ended
 * shifts of campaign `c` (alias `s` for shifts). A shift across midnight or over several days yields a
 * row for each day; an open (or overdue) shift has no end and yields nothing.
 */
export const clippedShiftDays = (schema: string, where = 'true') => `
  SELECT s.shift_id, s.member_id, s.status, s.started_at, d.day::date AS date,
    GREATEST(0, EXTRACT(EPOCH FROM LEAST(s.ended_at, w.closes) - GREATEST(s.started_at, w.opens)) / 3600.0) AS hours
  FROM ${schema}.shifts s ${spanDays('s.started_at', 's.ended_at')}
  WHERE s.campaign_id = c.campaign_id AND s.ended_at IS NOT NULL AND s.status IN ('pending', 'verified')
    AND d.day::date BETWEEN c.start_date AND c.end_date AND ${where}`;

/**
 * Hours to hundredths, half up on the exact value: the one rounding of every figure of hours shown.
 * Hours are whole microseconds (timestamps) over 3.6e9, so the microseconds are recovered and rounded
 * in integers, as the member boards rank and show them (member-top-totals.sql.ts). Rounding the float
 * of the hours went by its binary form instead: 0.575 h (0.57499…) gave 0.57, but 1.215 h gave 1.22.
 */
export const round2 = (value: number | string | null): number => {
  const micros = Math.round(Number(value ?? 0) * 3_600_000_000);
  return Math.floor((micros + 18_000_000) / 36_000_000) / 100;
};
