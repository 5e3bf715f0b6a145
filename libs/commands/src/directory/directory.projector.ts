import type pg from 'pg';
import {
  domainEvent,
  isLifecycleEvent,
  lifecycleAfter,
  shiftLifecycleEvents,
  shiftTimesAfter,
  storedInstant,
  type DomainEvent,
  type ShiftLifecycleEvent,
  type StoredShiftTimes,
} from '#domain';

/**
 * The event types the write-side directory is built from: the unit tree, and each member's shifts in
 * time for the overlap rule. CitizenAssisted, members, campaigns, clubs and posts need no row (a
 * decision folds a member or a campaign from its own stream).
 */
export const directoryEventTypes = ['UnitRegistered', ...shiftLifecycleEvents] as const;

export type DirectoryEvent = Readonly<{ type: string; data: unknown; streamVersion: bigint }>;

const needed = new Set<string>(directoryEventTypes);
export const isDirectoryEvent = (type: string): boolean => needed.has(type);

type Queryable = Pick<pg.PoolClient, 'query'>;

/** A member's shift as the overlap rule weighs it (a row is made only from a start with its time). */
type ShiftRow = StoredShiftTimes & {
  shift_id: string;
  member_id: string;
  campaign_id: string | null;
  version: bigint;
};

/**
 * Folds events, in log order, into the directory tables. Values are read with the domain's stored-side
 * readers (#domain values.ts): an event an older, wider gate let in (an offset of +16:00, a date in
 * year 0) is clamped into what PostgreSQL and the deciders compute with, never thrown on, because a
 * directory that cannot pass one event stops every shift command.
 *
 * Units are written one by one (a unit's path needs its parent's, perhaps from the same batch; there
 * are few). Shifts are folded in memory from their rows as stored, and written with one statement:
 * a catch-up after a large history written straight to the store (a synthetic seed) costs three
 * statements per thousand events, not one per event. Every write is guarded by the stream version:
 * an event at or below the row's version was applied before (by the catch-up, or by the handler that
 * appended it) and changes nothing, and a row another transaction moved further meanwhile is kept.
 */
export async function applyToDirectory(
  db: Queryable,
  recorded: readonly DirectoryEvent[],
): Promise<void> {
  const shiftEvents: { event: ShiftEvent; version: bigint }[] = [];
  for (const one of recorded) {
    const event = domainEvent(one);
    if (event?.type === 'UnitRegistered') {
      const { unitId, parentId, kind } = event.data;
      await db.query(
        `INSERT INTO cmd_units (unit_id, parent_id, kind, path)
         SELECT $1, $2, $3, COALESCE((SELECT path FROM cmd_units WHERE unit_id = $2), ARRAY[]::text[]) || $1::text
         ON CONFLICT (unit_id) DO NOTHING`,
        [unitId, parentId, kind],
      );
    } else if (event && isLifecycleEvent(event.type))
      shiftEvents.push({ event: event as ShiftEvent, version: one.streamVersion });
  }
  if (shiftEvents.length === 0) return;
  // A shift whose start is in the batch folds from nothing (a row stored already, by a replay, is
  // newer or equal and kept by the version guard): only the others are read, so a start reads nothing.
  const started = new Set<string>();
  const stored = new Set<string>();
  for (const { event } of shiftEvents) {
    const id = event.data.shiftId;
    if (event.type === 'ShiftStarted' && !stored.has(id)) started.add(id);
    else if (!started.has(id)) stored.add(id);
  }
  const rows = stored.size ? await storedShifts(db, [...stored]) : new Map<string, ShiftRow>();
  const changed = new Map<string, ShiftRow>();
  for (const { event, version } of shiftEvents) {
    const before = rows.get(event.data.shiftId);
    const after = foldShift(before, event, version);
    if (after && after !== before) {
      rows.set(after.shift_id, after);
      changed.set(after.shift_id, after);
    }
  }
  await writeShifts(db, [...changed.values()]);
}

type ShiftEvent = Extract<DomainEvent, { type: ShiftLifecycleEvent }>;

/** One event on a shift's row, as the overlap rule needs it (times and status move as #domain says). */
function foldShift(
  row: ShiftRow | undefined,
  event: ShiftEvent,
  version: bigint,
): ShiftRow | undefined {
  if (row && row.version >= version) return row;
  switch (event.type) {
    case 'ShiftStarted': {
      // a start no reader can place, or of no member, is no shift the overlap rule could weigh
      const startedAt = storedInstant(event.data.startedAt);
      const { shiftId, memberId, campaignId } = event.data;
      if (row || startedAt === null || typeof memberId !== 'string' || typeof shiftId !== 'string')
        return row;
      return {
        shift_id: shiftId,
        member_id: memberId,
        campaign_id: campaignId ?? null,
        started_at: startedAt,
        ended_at: null,
        status: lifecycleAfter(event.type, false),
        version,
      };
    }
    default:
      return row && { ...row, ...shiftTimesAfter(row, event), version };
  }
}

async function storedShifts(db: Queryable, shiftIds: string[]): Promise<Map<string, ShiftRow>> {
  const { rows } = await db.query<
    Omit<ShiftRow, 'started_at' | 'ended_at' | 'version'> & {
      started_at: Date;
      ended_at: Date | null;
      version: string;
    }
  >(
    `SELECT shift_id, member_id, campaign_id, started_at, ended_at, status, version
       FROM cmd_shifts WHERE shift_id = ANY($1)`,
    [shiftIds],
  );
  return new Map(
    rows.map((row) => [
      row.shift_id,
      {
        ...row,
        started_at: row.started_at.toISOString(),
        ended_at: row.ended_at?.toISOString() ?? null,
        version: BigInt(row.version),
      },
    ]),
  );
}

async function writeShifts(db: Queryable, rows: ShiftRow[]): Promise<void> {
  if (rows.length === 0) return;
  const column = <K extends keyof ShiftRow>(key: K) => rows.map((row) => row[key]);
  await db.query(
    `INSERT INTO cmd_shifts (shift_id, member_id, campaign_id, started_at, ended_at, status, version)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[],
                          $6::text[], $7::bigint[])
     ON CONFLICT (shift_id) DO UPDATE
       SET started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at,
           status = EXCLUDED.status, version = EXCLUDED.version
       WHERE cmd_shifts.version < EXCLUDED.version`,
    [
      column('shift_id'),
      column('member_id'),
      column('campaign_id'),
      column('started_at'),
      column('ended_at'),
      column('status'),
      column('version').map(String),
    ],
  );
}
