import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import { unitStreamId } from '#domain';
import type { EventStore, FeedPosition } from '#event-store';
import { EVENT_STORE } from '#platform';
import { COMMAND_DB, type CommandDatabase } from '../shared/command-database.js';
import { currentEvent, readCurrentStream } from '../shared/current-events.js';
import {
  applyToDirectory,
  directoryEventTypes,
  type DirectoryEvent,
} from './directory.projector.js';

export type DirectoryUnit = Readonly<{
  unitId: string;
  parentId: string | null;
  path: readonly string[];
}>;
export type DirectoryMember = Readonly<{ memberId: string; unitId: string; erased: boolean }>;
export type DirectoryShift = Readonly<{
  shiftId: string;
  memberId: string;
  campaignId: string | null;
  startedAt: string;
  endedAt: string | null;
  status: string;
}>;

type ShiftRow = {
  shift_id: string;
  member_id: string;
  campaign_id: string | null;
  started_at: Date;
  ended_at: Date | null;
  status: string;
};

const checkpointName = 'directory';
const batchSize = 1000;

/**
 * The write side's directory: what a decision needs beyond its own stream (the unit tree, a member's
 * shifts; members and campaigns are kept too, though handlers fold those from their own streams).
 * It is derived only from the event store: before a decision it catches up from its checkpoint under
 * a transaction advisory lock, and a handler applies the events it has just appended at once
 * (`applyRecorded`), because the global feed may hold back a committed event while an older
 * transaction is still in flight; a unit registered a moment ago is thus in the tree.
 */
@Injectable()
export class DirectoryService {
  constructor(
    @Inject(COMMAND_DB) private readonly db: CommandDatabase,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async catchUp(): Promise<void> {
    await this.underDirectoryLock(async (client) => {
      const { rows } = await client.query<{ position: string }>(
        'SELECT position FROM cmd_directory_checkpoint WHERE name = $1',
        [checkpointName],
      );
      let from: FeedPosition = rows[0] ? BigInt(rows[0].position) : 'start';
      for (;;) {
        const events = await this.store.readAll({
          fromPosition: from,
          filter: { eventTypes: directoryEventTypes },
          maxCount: batchSize,
        });
        for (const event of events) await applyToDirectory(client, currentEvent(event));
        if (events.length > 0) from = events[events.length - 1]!.globalPosition;
        if (events.length < batchSize) break;
      }
      if (from !== 'start') {
        await client.query(
          `INSERT INTO cmd_directory_checkpoint (name, position) VALUES ($1, $2)
           ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position`,
          [checkpointName, from.toString()],
        );
      }
    });
  }

  /** Applies events a handler has just appended (see the class comment). */
  async applyRecorded(events: readonly DirectoryEvent[]): Promise<void> {
    // Under the catch-up's lock: were a catch-up to hold the shift's row uncommitted, an update made
    // beside it would not see the row and be lost.
    await this.underDirectoryLock(async (client) => {
      for (const event of events) await applyToDirectory(client, event);
    });
  }

  private async underDirectoryLock(work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
    const client = await this.db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `SELECT pg_advisory_xact_lock(hashtextextended('command_side_directory', 0))`,
      );
      await work(client);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * Runs `work` while holding an advisory lock on the member, so that two shift commands of one member
   * read, decide and append one after the other and can never both pass the overlap check.
   */
  async withMemberLock<T>(memberId: string, work: () => Promise<T>): Promise<T> {
    const client: pg.PoolClient = await this.db.lockPool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
        `member-shifts:${memberId}`,
      ]);
      const result = await work();
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async unit(unitId: string): Promise<DirectoryUnit | null> {
    const { rows } = await this.db.pool.query<{
      unit_id: string;
      parent_id: string | null;
      path: string[];
    }>('SELECT unit_id, parent_id, path FROM cmd_units WHERE unit_id = $1', [unitId]);
    const row = rows[0];
    return row ? { unitId: row.unit_id, parentId: row.parent_id, path: row.path } : null;
  }

  /**
   * The unit, catching up first only when it is not known yet: a unit never moves once registered,
   * so a row found is final.
   */
  async findUnit(unitId: string): Promise<DirectoryUnit | null> {
    const known = await this.unit(unitId);
    if (known) return known;
    await this.catchUp();
    return (await this.unit(unitId)) ?? this.unitFromItsStream(unitId);
  }

  /**
   * The feed may still hold back a unit another process registered a moment ago (an older transaction
   * anywhere on the server keeps the horizon below it); its own stream is read at once.
   */
  private async unitFromItsStream(unitId: string): Promise<DirectoryUnit | null> {
    const registered = (
      await readCurrentStream(this.store, unitStreamId(unitId), { maxCount: 1 })
    )[0];
    if (registered?.type !== 'UnitRegistered') return null;
    const parentId = (registered.data as { parentId: string | null }).parentId;
    if (parentId !== null && (await this.findUnit(parentId)) === null) return null;
    await this.applyRecorded([registered]);
    return this.unit(unitId);
  }

  /** Whether `unitId` is `rootUnitId` or lies below it; false for an unknown unit. */
  async isWithin(unitId: string, rootUnitId: string): Promise<boolean> {
    const unit = await this.findUnit(unitId);
    return unit !== null && unit.path.includes(rootUnitId);
  }

  async member(memberId: string): Promise<DirectoryMember | null> {
    const { rows } = await this.db.pool.query<{
      member_id: string;
      unit_id: string;
      erased: boolean;
    }>('SELECT member_id, unit_id, erased FROM cmd_members WHERE member_id = $1', [memberId]);
    const row = rows[0];
    return row ? { memberId: row.member_id, unitId: row.unit_id, erased: row.erased } : null;
  }

  /** The member's shifts, oldest first (instants in UTC). */
  async memberShifts(memberId: string): Promise<DirectoryShift[]> {
    const { rows } = await this.db.pool.query<ShiftRow>(
      'SELECT * FROM cmd_shifts WHERE member_id = $1 ORDER BY started_at, shift_id',
      [memberId],
    );
    return rows.map((row) => ({
      shiftId: row.shift_id,
      memberId: row.member_id,
      campaignId: row.campaign_id,
      startedAt: row.started_at.toISOString(),
      endedAt: row.ended_at ? row.ended_at.toISOString() : null,
      status: row.status,
    }));
  }
}
