import { ident, type Sql } from '../../runner/projection.js';

/**
 * Campaign progress kept as counters (issue 10: read models that are answers). The projection reads
 * nothing but the events: it keeps its own campaign and shift rows, so its tables are its own. They
 * live in the volunteer-activity slot's schema for now, because the member leaderboard's campaign view
 * reads `progress_volunteers` beside that slot's members (see campaign-progress.projection.ts).
 *
 * - `progress_campaigns`: a campaign's calendar (zone, dates, daily window), name, goals, and how many
 *   members have turns inside its window (`volunteers`);
 * - `progress_shifts`: per shift, what its contribution is computed from (times, status, assistance by
 *   local day × service type × daily-window flag) and the contribution it made when last written
 *   (`shares`), so a correction, verification, rejection or extension moves only the difference;
 * - `progress_days`: the counters, per campaign × local day × service type × inside the window
 *   (`''` holds turns and hours, which have no service type);
 * - `progress_volunteers`: turns, citizens and verified hours inside the window per campaign and
 *   member: the campaign's member leaderboard and its distinct volunteers.
 * Hours are whole microseconds (bigint): adding and taking back never drifts like a float would.
 */
export const campaignProgressTables = [
  'progress_campaigns',
  'progress_shifts',
  'progress_days',
  'progress_volunteers',
] as const;

const counters = `events bigint NOT NULL, citizens bigint NOT NULL, turns bigint NOT NULL,
  micros bigint NOT NULL, verified_micros bigint NOT NULL`;

export async function createCampaignProgressTables(sql: Sql, schema: string): Promise<void> {
  const s = ident(schema);
  await sql.query(`
    CREATE TABLE ${s}.progress_campaigns (
      campaign_id text PRIMARY KEY, name text NOT NULL, timezone text NOT NULL, start_date date NOT NULL,
      end_date date NOT NULL, window_from text NOT NULL, window_to text NOT NULL, goals jsonb NOT NULL,
      closed boolean NOT NULL DEFAULT false, version bigint NOT NULL, volunteers bigint NOT NULL DEFAULT 0);
    CREATE TABLE ${s}.progress_shifts (
      shift_id text PRIMARY KEY, campaign_id text, member_id text, started_ms bigint, ended_ms bigint,
      status text NOT NULL, version bigint NOT NULL, assistance jsonb NOT NULL, shares jsonb NOT NULL);
    -- a launch or an extension re-reads its campaign's shifts, during a rebuild too
    CREATE INDEX ON ${s}.progress_shifts (campaign_id);
    CREATE TABLE ${s}.progress_days (
      campaign_id text NOT NULL, day date NOT NULL, service_type text NOT NULL, inside boolean NOT NULL,
      ${counters}, PRIMARY KEY (campaign_id, day, service_type, inside));
    CREATE TABLE ${s}.progress_volunteers (
      campaign_id text NOT NULL, member_id text NOT NULL, turns bigint NOT NULL, citizens bigint NOT NULL,
      verified_micros bigint NOT NULL, PRIMARY KEY (campaign_id, member_id));
  `);
}
