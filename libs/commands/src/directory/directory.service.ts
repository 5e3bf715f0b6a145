import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import { unitStreamId } from '#domain';
import type { EventStore, FeedPosition } from '#event-store';
import { EVENT_STORE } from '#platform';
import { COMMAND_DB, type CommandDatabase } from '../shared/command-database.js';
import { currentEvent } from '../shared/current-events.js';
import {
  applyToDirectory,
  directoryEventTypes,
  isDirectoryEvent,
  type DirectoryEvent,
} from './directory.projector.js';
import {
  askDirectoryQuestion,
  directoryCheckpoint,
  type DirectoryAnswer,
} from './directory-question.js';

type Queryable = Pick<pg.ClientBase, 'query'>;

export type DirectoryUnit = Readonly<{
  unitId: string;
  parentId: string | null;
  path: readonly string[];
}>;
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

const batchSize = 1000;
/**
 * The in-memory checkpoint moved by the catch-up question is written to the table once it is this far
 * ahead (about this many transactions): the table only says where a restarted process begins, and the
 * question's scan from there costs a row per event in between.
 */
const persistEvery = 10_000n << 20n;

const upsertCheckpoint = `INSERT INTO cmd_directory_checkpoint (name, position) VALUES ($1, $2)
  ON CONFLICT (name) DO UPDATE SET position = GREATEST(cmd_directory_checkpoint.position, EXCLUDED.position)`;

/**
 * The write side's directory, an inline projection: what a decision needs beyond its own stream (the
 * unit tree, a member's shifts in time). A command applies its own events to it in the transaction of
 * its append (`apply`), so the rows commit with the events; events other writers appended straight to
 * the store (a synthetic seed, another version of this service) are caught up from the feed before a
 * decision that needs the rows (`catchUp`). Every write is guarded by the stream version and the two
 * paths apply in the same order, so no lock is needed between them: an event applied twice changes
 * nothing the second time. Units never move once registered, so the tree is also kept in memory.
 *
 * A command under a member's guard asks, in the message that takes the guard (`question`), whether
 * the feed holds a directory event past this process's checkpoint that the directory lacks, and
 * catches up only when it does (`answered`). Almost every directory event was written by a command,
 * this process's or another API process's, whose rows committed with it: reading those back from the
 * feed and applying them again (what every guarded command did while the checkpoint moved only in a
 * catch-up) cost five messages for nothing when commands came one at a time (the feed read, BEGIN,
 * the rows, the checkpoint, COMMIT). The checkpoint is not moved past this process's own appends by
 * their positions, which would skip another writer's event that commits late below them (THE GLOBAL
 * FEED in the event store's sql.ts); the question moves it only to its horizon, below which every
 * event is final and found applied.
 */
@Injectable()
export class DirectoryService {
  private readonly units = new Map<string, DirectoryUnit>();
  /**
   * Below it, every directory event is applied (the table's checkpoint is read once, then kept here,
   * and moved by catch-ups and by answers to the question).
   */
  private caughtUpTo: FeedPosition | undefined;
  /** What the table's checkpoint says, as far as this process knows. */
  private persisted: bigint = 0n;
  private catchingUp: Promise<void> | undefined;

  constructor(
    @Inject(COMMAND_DB) private readonly db: CommandDatabase,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** Catches up from the feed; callers arriving while a catch-up runs share it. */
  catchUp(): Promise<void> {
    this.catchingUp ??= this.readFeed().finally(() => (this.catchingUp = undefined));
    return this.catchingUp;
  }

  /**
   * The catch-up question (directory-question.ts), for the message that takes a member's guard
   * (Locks.ask), so that it sees everything committed before the guard was granted; on the write
   * pool's connections only (where it is prepared), with the PostgreSQL event store.
   */
  get question(): string {
    return askDirectoryQuestion(this.position());
  }

  /**
   * Catches up with what the question found. Nothing lacking below the horizon: every event below it
   * is final and applied, so the checkpoint moves to it without a read. Else every event before the
   * first one lacking is applied (the checkpoint moves to it) and the feed is read from there until
   * that one is in (a catch-up already under way may have read the feed before it committed).
   */
  async answered([answer]: readonly Record<string, unknown>[]): Promise<void> {
    const found = answer as DirectoryAnswer;
    const horizon = BigInt(found.horizon);
    const pending = found.pending === null ? null : BigInt(found.pending);
    if (BigInt(found.persisted) > this.persisted) this.persisted = BigInt(found.persisted);
    this.moveTo(this.persisted);
    if (pending === null) {
      this.moveTo(horizon - 1n);
      return this.persistNowAndThen();
    }
    this.moveTo(pending - 1n);
    while (this.position() < pending) await this.catchUp();
  }

  private position(): bigint {
    return this.caughtUpTo === undefined || this.caughtUpTo === 'start' ? 0n : this.caughtUpTo;
  }

  /** Moves the checkpoint forward (answers to concurrent questions arrive in any order). */
  private moveTo(position: bigint): void {
    if (position > this.position()) this.caughtUpTo = position;
  }

  /** Writes the checkpoint to the table once it is `persistEvery` ahead of what it says there. */
  private async persistNowAndThen(): Promise<void> {
    const position = this.position();
    if (position - this.persisted < persistEvery) return;
    this.persisted = position;
    await this.db.pool.query(upsertCheckpoint, [directoryCheckpoint, position.toString()]);
  }

  private async readFeed(): Promise<void> {
    if (this.caughtUpTo === undefined) {
      const { rows } = await this.db.pool.query<{ position: string }>(
        'SELECT position FROM cmd_directory_checkpoint WHERE name = $1',
        [directoryCheckpoint],
      );
      this.caughtUpTo = rows[0] ? BigInt(rows[0].position) : 'start';
      this.persisted = this.position();
    }
    for (;;) {
      const from = this.caughtUpTo;
      const events = await this.store.readAll({
        fromPosition: from,
        filter: { eventTypes: directoryEventTypes },
        maxCount: batchSize,
      });
      if (events.length === 0) return;
      const to = events[events.length - 1]!.globalPosition;
      await this.inTransaction(async (client) => {
        // an event passed over (currentEvent: null) is still passed by the checkpoint, `to`
        await applyToDirectory(
          client,
          events.flatMap((event) => currentEvent(event) ?? []),
        );
        await client.query(upsertCheckpoint, [directoryCheckpoint, to.toString()]);
      });
      this.moveTo(to);
      if (to > this.persisted) this.persisted = to;
      if (events.length < batchSize) return;
    }
  }

  /** Applies a command's events in the transaction of its append (only those the directory needs). */
  async apply(db: Queryable, events: readonly DirectoryEvent[]): Promise<void> {
    await applyToDirectory(
      db,
      events.filter((event) => isDirectoryEvent(event.type)),
    );
  }

  private async inTransaction(work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
    const client = await this.db.pool.connect();
    try {
      await client.query('BEGIN');
      await work(client);
      await client.query('COMMIT');
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
    const cached = this.units.get(unitId);
    if (cached) return cached;
    let unit = await this.unit(unitId);
    if (!unit) {
      await this.catchUp();
      unit = (await this.unit(unitId)) ?? (await this.unitFromItsStream(unitId));
    }
    if (unit) this.units.set(unitId, unit);
    return unit;
  }

  /**
   * The feed may still hold back a unit another process registered a moment ago (an older transaction
   * anywhere on the server keeps the horizon below it); its own stream is read at once.
   */
  private async unitFromItsStream(unitId: string): Promise<DirectoryUnit | null> {
    const [first] = await this.store.readStream(unitStreamId(unitId), { maxCount: 1 });
    const registered = first && currentEvent(first);
    if (registered?.type !== 'UnitRegistered') return null;
    const parentId = (registered.data as { parentId: string | null }).parentId;
    if (parentId !== null && (await this.findUnit(parentId)) === null) return null;
    await applyToDirectory(this.db.pool, [registered]);
    return this.unit(unitId);
  }

  /** Whether `unitId` is `rootUnitId` or lies below it; false for an unknown unit. */
  async isWithin(unitId: string, rootUnitId: string): Promise<boolean> {
    const unit = await this.findUnit(unitId);
    return unit !== null && unit.path.includes(rootUnitId);
  }

  /**
   * The member's shifts, oldest first (instants in UTC), read through `db`: the transaction that holds
   * the member's guard, so that no other shift of theirs is decided meanwhile.
   */
  async memberShifts(memberId: string, db: Queryable = this.db.pool): Promise<DirectoryShift[]> {
    const { rows } = await db.query<ShiftRow>(
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
