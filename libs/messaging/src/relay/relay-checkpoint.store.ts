import type pg from 'pg';
import type { FeedPosition } from '#event-store';
import { migrateSchema, type SchemaComponent } from '#schema';
import type { RelayStatus } from './relay-status.js';

/** The relay's table, as its numbered list for the schema runner (#schema). */
export const relaySchema: SchemaComponent = {
  name: 'relay',
  migrations: [
    {
      version: 1,
      // What the relay created at every start before #schema: idempotent, so a database made then upgrades.
      name: 'relay checkpoints',
      sql: `CREATE TABLE IF NOT EXISTS relay_checkpoints (
         name text PRIMARY KEY,
         position bigint NOT NULL,
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
    },
    {
      version: 2,
      name: 'relay reports',
      // What the publishing relay says of itself, for the processes that do not run it (an API with
      // RUN_WORKER=false, the second of API_PROCESSES): its state and failure, and when it said so.
      sql: `CREATE TABLE relay_reports (
         name text PRIMARY KEY,
         state text NOT NULL,
         last_error text,
         last_error_at timestamptz,
         unacknowledged_since timestamptz,
         reported_at timestamptz NOT NULL DEFAULT now()
       )`,
    },
  ],
};

/** The relay's last report as stored, with its age by the database's clock (every process agrees). */
export type RelayReport = Readonly<{
  state: string;
  lastError: string | null;
  lastErrorAt: string | null;
  unacknowledgedSince: string | null;
  reportedAt: string;
  ageMs: number;
}>;

/** The row `begin()` stores: no event lies at or before it (global positions start above 0). */
const NOTHING_YET = 0n;

/**
 * The relay's own position in the global feed, in PostgreSQL next to the events. It is written only
 * after Kafka acknowledged everything up to it, so after any crash the relay resumes at or before the
 * last acknowledged event: it may publish an event twice (same event id), never skip one.
 */
export class RelayCheckpointStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly name: string,
  ) {}

  /** Applies the relay's migrations not yet applied (#schema; safe from several processes at once). */
  init(): Promise<void> {
    return migrateSchema(this.pool, relaySchema);
  }

  /** `'start'` when nothing was acknowledged yet (also before `init()` created the table). */
  async load(): Promise<FeedPosition> {
    const stored = await this.stored();
    return stored === null || stored === NOTHING_YET ? 'start' : stored;
  }

  /**
   * Whether this relay began publishing from the start here: `begin()` stored its row before the
   * first batch, and no operator deleted it since (which asks for a replay from the start).
   */
  async begun(): Promise<boolean> {
    return (await this.stored()) !== null;
  }

  /**
   * Says, before the first batch, that this relay publishes from the start with nothing acknowledged
   * yet. Without it, a first batch that Kafka committed and whose checkpoint the database refused
   * (gone right after the acknowledgement) left no row, the same as a checkpoint deleted for a replay,
   * and the next session published that batch a second time to read_committed consumers.
   */
  async begin(): Promise<void> {
    await this.pool.query(
      'INSERT INTO relay_checkpoints (name, position) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING',
      [this.name, NOTHING_YET.toString()],
    );
  }

  /** The stored position; null without a row (or a table). */
  private async stored(): Promise<bigint | null> {
    try {
      const result = await this.pool.query<{ position: string }>(
        'SELECT position FROM relay_checkpoints WHERE name = $1',
        [this.name],
      );
      return result.rows.length === 0 ? null : BigInt(result.rows[0].position);
    } catch (error) {
      if ((error as { code?: string }).code === '42P01') return null; // undefined_table
      throw error;
    }
  }

  /** Stores what the relay says of itself now (the holder of its lease only: `RelayLease`). */
  async report(status: RelayStatus): Promise<void> {
    await this.pool.query(
      `INSERT INTO relay_reports AS r (name, state, last_error, last_error_at, unacknowledged_since, reported_at)
       VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (name) DO UPDATE SET state = EXCLUDED.state, last_error = EXCLUDED.last_error,
         last_error_at = EXCLUDED.last_error_at, unacknowledged_since = EXCLUDED.unacknowledged_since,
         reported_at = now()`,
      [this.name, status.state, status.lastError, status.lastErrorAt, status.unacknowledgedSince],
    );
  }

  /** The last report of the relay of this name; null when none reported yet (or no relay ever ran). */
  async lastReport(): Promise<RelayReport | null> {
    try {
      const { rows } = await this.pool.query<{
        state: string;
        last_error: string | null;
        last_error_at: Date | null;
        unacknowledged_since: Date | null;
        reported_at: Date;
        age_ms: string;
      }>(
        `SELECT state, last_error, last_error_at, unacknowledged_since, reported_at,
                (extract(epoch FROM clock_timestamp() - reported_at) * 1000)::bigint AS age_ms
           FROM relay_reports WHERE name = $1`,
        [this.name],
      );
      const row = rows[0];
      if (!row) return null;
      return {
        state: row.state,
        lastError: row.last_error,
        lastErrorAt: row.last_error_at?.toISOString() ?? null,
        unacknowledgedSince: row.unacknowledged_since?.toISOString() ?? null,
        reportedAt: row.reported_at.toISOString(),
        ageMs: Number(row.age_ms),
      };
    } catch (error) {
      if ((error as { code?: string }).code === '42P01') return null; // undefined_table: no relay ran
      throw error;
    }
  }

  /** Never moves backwards, so a stale writer (an old process still running) cannot rewind it. */
  async save(position: bigint): Promise<void> {
    await this.pool.query(
      `INSERT INTO relay_checkpoints (name, position) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET position = GREATEST(relay_checkpoints.position, EXCLUDED.position), updated_at = now()`,
      [this.name, position.toString()],
    );
  }
}
