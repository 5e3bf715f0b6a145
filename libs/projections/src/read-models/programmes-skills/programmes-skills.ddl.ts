import { ident, type Sql } from '../../runner/projection.js';

export const programmesSkillsTables = [
  'ps_units',
  'ps_members',
  'ps_member_skills',
  'ps_programmes',
  'ps_unit_counts',
  'ps_unit_skill_counts',
] as const;

/**
 * The facts this read model needs (units with their ancestor paths, members, skills, programmes) and
 * the answers it keeps ready: counters per unit (current members, programmes, attendees) and per unit
 * and skill (current members with it). A subtree's figure is the sum of its units' counters, found
 * through the GIN index on the ancestor paths: one indexed lookup and a sum over the subtree's units,
 * whatever the length of the history.
 */
export async function createProgrammesSkillsTables(sql: Sql, schema: string): Promise<void> {
  const s = ident(schema);
  await sql.query(`
    CREATE TABLE ${s}.ps_units (unit_id text PRIMARY KEY, parent_id text, path text[] NOT NULL);
    CREATE TABLE ${s}.ps_members (
      member_id text PRIMARY KEY, unit_id text NOT NULL, erased boolean NOT NULL DEFAULT false);
    CREATE TABLE ${s}.ps_member_skills (
      member_id text NOT NULL, skill text NOT NULL, attained_at timestamptz NOT NULL,
      PRIMARY KEY (member_id, skill));
    CREATE TABLE ${s}.ps_programmes (
      programme_id text PRIMARY KEY, unit_id text NOT NULL, kind text NOT NULL, title text NOT NULL,
      topic text, starts_at timestamptz NOT NULL, members int NOT NULL, citizens int NOT NULL,
      stream_version bigint NOT NULL);
    CREATE TABLE ${s}.ps_unit_counts (
      unit_id text PRIMARY KEY, members int NOT NULL DEFAULT 0, programmes int NOT NULL DEFAULT 0,
      attendee_members bigint NOT NULL DEFAULT 0, attendee_citizens bigint NOT NULL DEFAULT 0);
    CREATE TABLE ${s}.ps_unit_skill_counts (
      unit_id text NOT NULL, skill text NOT NULL, members int NOT NULL DEFAULT 0,
      PRIMARY KEY (unit_id, skill));
  `);
}

export async function createProgrammesSkillsIndexes(sql: Sql, schema: string): Promise<void> {
  const s = ident(schema);
  await sql.query(`
    CREATE INDEX ON ${s}.ps_units USING gin (path);
    CREATE INDEX ON ${s}.ps_programmes (unit_id, starts_at);
  `);
}
