import { countsSql } from '#domain';
import { spanDays } from '../volunteer-activity/campaign-time.sql.js';

/**
 * A shift's verified hours as whole microseconds, for shifts row `s` (SQL scalars). `whole`: ended −
 * started (a missing time counts nothing, as a NULL adds nothing to a sum). `clipped`: the hours inside
 * its campaign's daily window, summed over the campaign days it touches, each day rounded to the
 * microsecond as campaign progress does (clippedShiftDays in campaign-time.sql.ts is the same rule in
 * hours, and campaign-time.sql.ts says where each day's window comes from and where its JavaScript
 * twin lives); 0 when the campaign is unknown.
 */
export const verifiedMicrosSql = {
  whole: (s = 's') => `CASE WHEN ${countsSql.verifiedHours(`${s}.status`)}
    THEN COALESCE(round(EXTRACT(EPOCH FROM ${s}.ended_at - ${s}.started_at) * 1000000)::bigint, 0) ELSE 0 END`,
  clipped: (schema: string, s = 's') => `CASE WHEN ${countsSql.verifiedHours(`${s}.status`)}
      AND ${s}.ended_at IS NOT NULL AND ${s}.started_at IS NOT NULL THEN (
    SELECT COALESCE(sum(GREATEST(0, round(EXTRACT(EPOCH FROM
        LEAST(${s}.ended_at, w.closes) - GREATEST(${s}.started_at, w.opens)) * 1000000))), 0)::bigint
    FROM ${schema}.campaigns c ${spanDays(`${s}.started_at`, `${s}.ended_at`)}
    WHERE c.campaign_id = ${s}.campaign_id AND d.day::date BETWEEN c.start_date AND c.end_date) ELSE 0 END`,
};
