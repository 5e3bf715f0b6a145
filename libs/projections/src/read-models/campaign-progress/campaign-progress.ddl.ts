import { ident, type Sql } from '../../runner/projection.js';

/**
 * Campaign progress kept as counters (issue 10: read models that are answers). They live in the
 * volunteer-activity slot because they are derived from its shifts and campaigns as the batch writes
 * them: one slot, one checkpoint, so the counters can never disagree with the facts they summarise.
 *
 * - `progress_assistance`: a shift's assistance by local day, service type and daily-window flag
 *   (independent of the shift's status and the campaign's dates, so neither a rejection nor an
 *   extension needs the assistance rows again);
 * - `progress_shares`: what each shift contributes now (its turn, clipped hours, assistance), keyed
 *   like the counters: a correction, verification or rejection replaces these rows and moves the
 *   difference between counters;
 * - `progress_days`: the counters, per campaign × local day × service type × inside the window
 *   (`''` holds turns and hours, which have no service type);
 * - `progress_volunteers`: turns inside the window per campaign and member, and
 *   `progress_campaigns.volunteers` how many of them are above zero; with their citizens and verified
 *   hours inside the window, they answer the campaign's member leaderboard.
 * Hours are whole microseconds (bigint): adding and taking back never drifts like a float would.
 */
export const campaignProgressTables = [
  'progress_assistance',
  'progress_shares',
  'progress_days',
  'progress_volunteers',
  'progress_campaigns',
] as const;

const counters = `events bigint NOT NULL, citizens bigint NOT NULL, turns bigint NOT NULL,
  micros bigint NOT NULL, verified_micros bigint NOT NULL`;

export async function createCampaignProgressTables(sql: Sql, schema: string): Promise<void> {
  const s = ident(schema);
  await sql.query(`
    CREATE TABLE ${s}.progress_assistance (
      shift_id text NOT NULL, day date NOT NULL, service_type text NOT NULL, in_daily boolean NOT NULL,
      events bigint NOT NULL, citizens bigint NOT NULL, PRIMARY KEY (shift_id, day, service_type, in_daily));
    CREATE TABLE ${s}.progress_shares (
      shift_id text NOT NULL, campaign_id text NOT NULL, member_id text, day date NOT NULL,
      service_type text NOT NULL, inside boolean NOT NULL, ${counters},
      PRIMARY KEY (shift_id, day, service_type, inside));
    CREATE TABLE ${s}.progress_days (
      campaign_id text NOT NULL, day date NOT NULL, service_type text NOT NULL, inside boolean NOT NULL,
      ${counters}, PRIMARY KEY (campaign_id, day, service_type, inside));
    CREATE TABLE ${s}.progress_volunteers (
      campaign_id text NOT NULL, member_id text NOT NULL, turns bigint NOT NULL, citizens bigint NOT NULL,
      verified_micros bigint NOT NULL, PRIMARY KEY (campaign_id, member_id));
    CREATE TABLE ${s}.progress_campaigns (campaign_id text PRIMARY KEY, volunteers bigint NOT NULL);
  `);
}
