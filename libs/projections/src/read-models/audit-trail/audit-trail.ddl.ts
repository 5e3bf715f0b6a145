import { ident, type Sql } from '../../runner/projection.js';

export const auditTrailTables = [
  'audit_members',
  'audit_shifts',
  'audit_events',
  'audit_corrections',
] as const;

export async function createAuditTrailTables(sql: Sql, schema: string): Promise<void> {
  const s = ident(schema);
  await sql.query(`
    CREATE TABLE ${s}.audit_members (member_id text PRIMARY KEY, display_name text, erased boolean NOT NULL DEFAULT false);
    CREATE TABLE ${s}.audit_shifts (
      shift_id text PRIMARY KEY, member_id text, campaign_id text, started_at timestamptz, ended_at timestamptz,
      status text NOT NULL, recorded_by text, recorded_at timestamptz,
      verified_by text, verified_at timestamptz, rejected_by text, rejected_reason text,
      version bigint NOT NULL);
    -- every lifecycle event of a shift's stream: version, global position, hash, who recorded it and when
    CREATE TABLE ${s}.audit_events (
      shift_id text NOT NULL, version bigint NOT NULL, type text NOT NULL, position bigint NOT NULL, hash text NOT NULL,
      recorded_by text NOT NULL, recorded_at timestamptz NOT NULL);
    CREATE TABLE ${s}.audit_corrections (
      shift_id text NOT NULL, version bigint NOT NULL, reason text NOT NULL, corrected_by text NOT NULL, corrected_at timestamptz NOT NULL,
      before_started_at timestamptz, before_ended_at timestamptz, after_started_at timestamptz, after_ended_at timestamptz);
  `);
}

export async function createAuditTrailIndexes(sql: Sql, schema: string): Promise<void> {
  const s = ident(schema);
  await sql.query(`
    CREATE INDEX ON ${s}.audit_shifts (member_id, started_at);
    CREATE INDEX ON ${s}.audit_events (shift_id, version);
    CREATE INDEX ON ${s}.audit_corrections (shift_id, version);
  `);
}

/** An instant column as ISO 8601 UTC text, the form the fold and the API use. */
export const isoUtc = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
