import type { SchemaComponent } from '#schema';
import { commandSideMigration2 } from './command-side.migration-2.js';

/** The command side's tables, as its numbered list for the schema runner (#schema). */
export const commandSchema: SchemaComponent = {
  name: 'commands',
  migrations: [
    {
      version: 1,
      // Exactly the schema the command side created at every start before #schema: idempotent, so a
      // database made then (its tables already there) upgrades. Later changes are migration 2 onwards.
      name: 'command log and write-side directory',
      sql: `
CREATE TABLE IF NOT EXISTS command_log (
  command_key  text PRIMARY KEY,
  route        text NOT NULL,
  body_hash    text NOT NULL,
  result       jsonb,
  claimed_at   timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz
);
-- The data subject whose personal data a command's body carries: erasing them forgets the body hash.
ALTER TABLE command_log ADD COLUMN IF NOT EXISTS subject text;
CREATE INDEX IF NOT EXISTS command_log_subject ON command_log (subject) WHERE subject IS NOT NULL;
-- The write-side directory: what decisions need beyond their own stream, derived only from the log.
CREATE TABLE IF NOT EXISTS cmd_directory_checkpoint (name text PRIMARY KEY, position bigint NOT NULL);
CREATE TABLE IF NOT EXISTS cmd_units (
  unit_id text PRIMARY KEY, parent_id text, kind text NOT NULL,
  path text[] NOT NULL -- ancestors from the root down to the unit itself
);
CREATE INDEX IF NOT EXISTS cmd_units_path ON cmd_units USING gin (path);
CREATE TABLE IF NOT EXISTS cmd_members (
  member_id text PRIMARY KEY, unit_id text NOT NULL, erased boolean NOT NULL DEFAULT false,
  version bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS cmd_campaigns (
  campaign_id text PRIMARY KEY, unit_id text NOT NULL, timezone text NOT NULL,
  start_date text NOT NULL, end_date text NOT NULL, window_from text NOT NULL, window_to text NOT NULL,
  service_types jsonb, closed boolean NOT NULL DEFAULT false, version bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS cmd_shifts (
  shift_id text PRIMARY KEY, member_id text NOT NULL, campaign_id text,
  started_at timestamptz NOT NULL, ended_at timestamptz, status text NOT NULL, version bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS cmd_shifts_member ON cmd_shifts (member_id, started_at);
`,
    },
    { version: 2, name: 'directory of units and shifts only', sql: commandSideMigration2 },
  ],
};
