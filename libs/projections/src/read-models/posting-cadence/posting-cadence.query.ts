import { rows, type Sql } from '../../runner/projection.js';
import { CADENCE_TIMEZONE } from './posting-cadence.projection.js';

export type ChannelCadence = {
  channel: string;
  posts: number;
  goodNewsDays: number;
  currentDailyStreak: number;
  longestDailyStreak: number;
  beautifulStoryWeeks: number;
  currentWeeklyStreak: number;
  longestWeeklyStreak: number;
};

/**
 * Streaks are runs of consecutive days (weeks) with at least one such post, found as "gaps and islands":
 * within a run, date minus its row number is constant. The current streak is the run that reaches today
 * or yesterday (this or last week), so a streak is not lost before the day is over.
 */
export async function postingCadence(
  sql: Sql,
  schema: string,
  unitId: string,
  today?: string,
): Promise<ChannelCadence[]> {
  const found = await rows<Record<string, string>>(
    sql,
    `WITH p AS (SELECT * FROM ${schema}.cadence_posts WHERE unit_id = $1),
     today AS (SELECT COALESCE($2::date, (now() AT TIME ZONE '${CADENCE_TIMEZONE}')::date) AS d),
     days AS (SELECT channel, d, d - (row_number() OVER (PARTITION BY channel ORDER BY d))::int AS grp
              FROM (SELECT DISTINCT channel, local_date AS d FROM p WHERE good_news) x),
     day_runs AS (SELECT channel, max(d) AS last, count(*) AS len FROM days GROUP BY channel, grp),
     weeks AS (SELECT channel, w, w - 7 * (row_number() OVER (PARTITION BY channel ORDER BY w))::int AS grp
               FROM (SELECT DISTINCT channel, week_start AS w FROM p WHERE beautiful_story) x),
     week_runs AS (SELECT channel, max(w) AS last, count(*) AS len FROM weeks GROUP BY channel, grp)
     SELECT c.channel, (SELECT count(*) FROM p WHERE p.channel = c.channel) AS posts,
       COALESCE((SELECT sum(len) FROM day_runs r WHERE r.channel = c.channel), 0) AS good_news_days,
       COALESCE((SELECT max(len) FROM day_runs r WHERE r.channel = c.channel), 0) AS longest_daily,
       COALESCE((SELECT max(len) FROM day_runs r, today WHERE r.channel = c.channel AND r.last >= today.d - 1), 0) AS current_daily,
       COALESCE((SELECT sum(len) FROM week_runs r WHERE r.channel = c.channel), 0) AS story_weeks,
       COALESCE((SELECT max(len) FROM week_runs r WHERE r.channel = c.channel), 0) AS longest_weekly,
       COALESCE((SELECT max(len) FROM week_runs r, today WHERE r.channel = c.channel
                 AND r.last >= date_trunc('week', today.d)::date - 7), 0) AS current_weekly
     FROM (SELECT DISTINCT channel FROM p) c ORDER BY c.channel`,
    [unitId, today ?? null],
  );
  return found.map((r) => ({
    channel: r.channel!,
    posts: Number(r.posts),
    goodNewsDays: Number(r.good_news_days),
    currentDailyStreak: Number(r.current_daily),
    longestDailyStreak: Number(r.longest_daily),
    beautifulStoryWeeks: Number(r.story_weeks),
    currentWeeklyStreak: Number(r.current_weekly),
    longestWeeklyStreak: Number(r.longest_weekly),
  }));
}
