import { ident, type Sql } from '../../runner/projection.js';
import {
  campaignProgressTables,
  createCampaignProgressTables,
} from '../campaign-progress/campaign-progress.ddl.js';
import {
  createMemberTotalsIndexes,
  createMemberTotalsTables,
  memberTotalsTables,
} from '../leaderboards/member-totals.ddl.js';
import {
  createUnitRollupIndexes,
  createUnitRollupTables,
  unitRollupTables,
} from '../unit-rollups/unit-rollups.ddl.js';

/** Tables of the volunteer-activity projection. */
export const volunteerActivityTables = [
  'units',
  'members',
  'campaigns',
  'shifts',
  'assistance',
  'clubs',
  'posts',
  ...campaignProgressTables,
  ...memberTotalsTables,
  ...unitRollupTables,
] as const;

export async function createVolunteerActivityTables(sql: Sql, schema: string): Promise<void> {
  const s = ident(schema);
  await sql.query(`
    CREATE TABLE ${s}.units (
      unit_id text PRIMARY KEY, name text NOT NULL, kind text NOT NULL, parent_id text,
      -- ancestors from the root down to the unit itself: a subtree is "path contains the unit"
      path text[] NOT NULL);
    CREATE TABLE ${s}.members (
      member_id text PRIMARY KEY, unit_id text NOT NULL, display_name text, erased boolean NOT NULL DEFAULT false);
    CREATE TABLE ${s}.campaigns (
      campaign_id text PRIMARY KEY, unit_id text NOT NULL, name text NOT NULL, timezone text NOT NULL,
      start_date date NOT NULL, end_date date NOT NULL, window_from time NOT NULL, window_to time NOT NULL,
      goals jsonb NOT NULL, service_types jsonb, closed boolean NOT NULL DEFAULT false, version bigint NOT NULL);
    CREATE TABLE ${s}.shifts (
      shift_id text PRIMARY KEY, member_id text, campaign_id text, location text,
      started_at timestamptz, ended_at timestamptz, status text NOT NULL,
      -- the sum of the shift's assistance, so that figures over whole subtrees need not read every assistance row
      citizens integer NOT NULL DEFAULT 0, version bigint NOT NULL);
    -- no primary key: the shift row's stream version guards against applying an assistance twice, and
    -- a rebuild appends these rows (most of the log) to a heap with one index (below), not a key
    -- campaign_id is the shift's (a shift never changes campaign), copied so that a campaign's progress
    -- reads its own assistance by index instead of scanning everyone's; the member stays the shift's
    CREATE TABLE ${s}.assistance (
      shift_id text NOT NULL, campaign_id text, service_type text NOT NULL, citizens integer NOT NULL, occurred_at timestamptz NOT NULL);
    -- kept while the slot is built, unlike the other indexes: a verdict that makes a shift's citizens
    -- count or stop counting reads that shift's assistance (member-totals.projection.ts), and without
    -- it each such batch scanned every assistance row so far, so a rebuild grew with the square of the
    -- history (38 ms a batch at 1 M events, 8 ms at 200 k)
    CREATE INDEX assistance_shift_id_idx ON ${s}.assistance (shift_id);
    CREATE TABLE ${s}.clubs (club_id text PRIMARY KEY, unit_id text NOT NULL, name text NOT NULL, founded_at timestamptz NOT NULL);
    CREATE TABLE ${s}.posts (
      post_id text PRIMARY KEY, unit_id text NOT NULL, channel text NOT NULL, tags jsonb NOT NULL, published_at timestamptz NOT NULL);
  `);
  await createCampaignProgressTables(sql, schema);
  await createMemberTotalsTables(sql, schema);
  await createUnitRollupTables(sql, schema);
}

export async function createVolunteerActivityIndexes(sql: Sql, schema: string): Promise<void> {
  const s = ident(schema);
  await sql.query(`
    CREATE INDEX ON ${s}.units USING gin (path);
    CREATE INDEX ON ${s}.units (parent_id);
    CREATE INDEX ON ${s}.members (unit_id);
    CREATE INDEX ON ${s}.shifts (campaign_id);
    CREATE INDEX ON ${s}.shifts (member_id, started_at);
    -- a slot whose tables an older version created gets its index here
    CREATE INDEX IF NOT EXISTS assistance_shift_id_idx ON ${s}.assistance (shift_id);
    CREATE INDEX ON ${s}.assistance (campaign_id);
    CREATE INDEX ON ${s}.clubs (unit_id);
    CREATE INDEX ON ${s}.posts (unit_id);
  `);
  await createMemberTotalsIndexes(sql, schema);
  await createUnitRollupIndexes(sql, schema);
}
