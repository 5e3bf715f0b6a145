import { countsSql } from '#domain';

/**
 * A shift's verified hours as whole microseconds, for shifts row `s` (SQL scalars). `whole`: ended −
 * started (a missing time counts nothing, as a NULL adds nothing to a sum). `clipped`: the hours inside
 * its campaign's daily window, summed over the campaign days it touches, each day rounded to the
 * microsecond as campaign progress does (clippedShiftDays in campaign-time.sql.ts is the same rule in
 * hours); 0 when the campaign is unknown.
 */
export const verifiedMicrosSql = {
  whole: (s = 's') => `CASE WHEN ${countsSql.verifiedHours(`${s}.status`)}
    THEN COALESCE(round(EXTRACT(EPOCH FROM ${s}.ended_at - ${s}.started_at) * 1000000)::bigint, 0) ELSE 0 END`,
  clipped: (schema: string, s = 's') => `CASE WHEN ${countsSql.verifiedHours(`${s}.status`)}
      AND ${s}.ended_at IS NOT NULL AND ${s}.started_at IS NOT NULL THEN (
    SELECT COALESCE(sum(GREATEST(0, round(EXTRACT(EPOCH FROM
        LEAST(${s}.ended_at, (d.day::date + c.window_to) AT TIME ZONE c.timezone)
        - GREATEST(${s}.started_at, (d.day::date + c.window_from) AT TIME ZONE c.timezone)) * 1000000))), 0)::bigint
    FROM ${schema}.campaigns c CROSS JOIN LATERAL generate_series(
      GREATEST((${s}.started_at AT TIME ZONE c.timezone)::date, c.start_date)::timestamp,
      LEAST((${s}.ended_at AT TIME ZONE c.timezone)::date, c.end_date)::timestamp, interval '1 day') AS d(day)
    WHERE c.campaign_id = ${s}.campaign_id AND d.day::date BETWEEN c.start_date AND c.end_date) ELSE 0 END`,
};
