import type pg from 'pg';
import type { FeedPosition } from '#event-store';
import { migrateSchema, type SchemaComponent } from '#schema';

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
  ],
};

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
    try {
      const result = await this.pool.query<{ position: string }>(
        'SELECT position FROM relay_checkpoints WHERE name = $1',
        [this.name],
      );
      return result.rows.length === 0 ? 'start' : BigInt(result.rows[0].position);
    } catch (error) {
      if ((error as { code?: string }).code === '42P01') return 'start'; // undefined_table
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
