import { Logger } from '@nestjs/common';
import type pg from 'pg';
import { openPool } from '#platform';
import { commandSideMigration2 } from './command-side.migration-2.js';

export const COMMAND_DB = Symbol('COMMAND_DB');

/**
 * The command side's own connections. Two pools: `pool` for single statements (the directory's
 * reads and catch-up, the log's reads), `writePool` for the transactions that append a command's
 * events with its log row. A shift command's transaction holds its connection from the member's
 * lock to the commit: if it drew from the same pool as the reads it needs meanwhile, enough waiting
 * commands would starve the one holding the lock.
 */
export class CommandDatabase {
  readonly pool: pg.Pool;
  readonly writePool: pg.Pool;

  constructor(config: pg.PoolConfig) {
    const warn = (error: Error) => new Logger('CommandDatabase').warn(error.message);
    this.pool = openPool({ ...config, max: 6 }, warn);
    this.writePool = openPool({ ...config, max: 24 }, warn);
  }

  /** Creates the command side's tables once; the advisory lock keeps concurrent starts from racing. */
  async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `SELECT pg_advisory_xact_lock(hashtextextended('command_side_schema', 0))`,
      );
      await client.query(schema);
      await client.query(commandSideMigration2);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.end(), this.writePool.end()]);
  }
}

/** Migration 1: the command side's schema as it was before issue 11 (migration 2 changes it). */
const schema = `
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
`;
