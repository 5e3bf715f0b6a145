import { ident, type Sql } from '../../runner/projection.js';

export const auditTrailTables = ['audit_members', 'audit_shifts'] as const;

export async function createAuditTrailTables(sql: Sql, schema: string): Promise<void> {
  const s = ident(schema);
  await sql.query(`
    CREATE TABLE ${s}.audit_members (member_id text PRIMARY KEY, display_name text, erased boolean NOT NULL DEFAULT false);
    CREATE TABLE ${s}.audit_shifts (
      shift_id text PRIMARY KEY, member_id text, campaign_id text, started_at timestamptz, ended_at timestamptz,
      status text NOT NULL, recorded_by text, recorded_at timestamptz,
      verified_by text, verified_at timestamptz, rejected_by text, rejected_reason text,
      -- every correction: reason, by, at, before and after times
      corrections jsonb NOT NULL DEFAULT '[]',
      -- every lifecycle event of the stream with its version, global position and hash
      events jsonb NOT NULL DEFAULT '[]',
      version bigint NOT NULL);
  `);
}

export async function createAuditTrailIndexes(sql: Sql, schema: string): Promise<void> {
  await sql.query(`CREATE INDEX ON ${ident(schema)}.audit_shifts (member_id, started_at)`);
}

/** An instant column as ISO 8601 UTC text, the form the fold and the API use. */
export const isoUtc = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
