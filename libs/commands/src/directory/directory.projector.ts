import type pg from 'pg';
import { domainEvent, lifecycleAfter, storedInstant } from '#domain';

/**
 * The event types the write-side directory is built from: the unit tree, and each member's shifts in
 * time for the overlap rule. CitizenAssisted, members, campaigns, clubs and posts need no row (a
 * decision folds a member or a campaign from its own stream).
 */
export const directoryEventTypes = [
  'UnitRegistered',
  'ShiftStarted',
  'ShiftEnded',
  'ShiftCorrected',
  'ShiftVerified',
  'ShiftRejected',
] as const;

export type DirectoryEvent = Readonly<{ type: string; data: unknown; streamVersion: bigint }>;

const needed = new Set<string>(directoryEventTypes);
export const isDirectoryEvent = (type: string): boolean => needed.has(type);

type Queryable = Pick<pg.PoolClient, 'query'>;

/**
 * Folds one event into the directory tables. Values are read with the domain's stored-side readers
 * (#domain values.ts): an event an older, wider gate let in (an offset of +16:00, a date in year 0)
 * is clamped into what PostgreSQL and the deciders compute with, never thrown on, because a directory
 * that cannot pass one event stops every shift command. Every write is guarded by the stream version, so an
 * event applied twice (by the catch-up and by the handler that just appended it) or out of order
 * across the two paths changes nothing the second time.
 */
export async function applyToDirectory(db: Queryable, recorded: DirectoryEvent): Promise<void> {
  const event = domainEvent(recorded);
  const version = recorded.streamVersion.toString();
  switch (event?.type) {
    case 'UnitRegistered': {
      const { unitId, parentId, kind } = event.data;
      await db.query(
        `INSERT INTO cmd_units (unit_id, parent_id, kind, path)
         SELECT $1, $2, $3, COALESCE((SELECT path FROM cmd_units WHERE unit_id = $2), ARRAY[]::text[]) || $1::text
         ON CONFLICT (unit_id) DO NOTHING`,
        [unitId, parentId, kind],
      );
      return;
    }
    case 'ShiftStarted': {
      // a start no reader can place is no shift the overlap rule could weigh: left out
      const startedAt = storedInstant(event.data.startedAt);
      if (startedAt === null) return;
      await db.query(
        `INSERT INTO cmd_shifts (shift_id, member_id, campaign_id, started_at, status, version)
         VALUES ($1, $2, $3, $4, $6, $5) ON CONFLICT (shift_id) DO NOTHING`,
        [
          event.data.shiftId,
          event.data.memberId,
          event.data.campaignId,
          startedAt,
          version,
          lifecycleAfter(event.type, false),
        ],
      );
      return;
    }
    case 'ShiftEnded':
      await updateShift(db, event.data.shiftId, version, `ended_at = $3, status = $4`, [
        storedInstant(event.data.endedAt),
        lifecycleAfter(event.type, true),
      ]);
      return;
    case 'ShiftCorrected':
      await updateShift(
        db,
        event.data.shiftId,
        version,
        `started_at = COALESCE($3, started_at), ended_at = COALESCE($4, ended_at),
         status = CASE WHEN COALESCE($4, ended_at) IS NULL THEN $5 ELSE $6 END`,
        [
          storedInstant(event.data.startedAt),
          storedInstant(event.data.endedAt),
          lifecycleAfter(event.type, false),
          lifecycleAfter(event.type, true),
        ],
      );
      return;
    case 'ShiftVerified':
    case 'ShiftRejected':
      await updateShift(db, event.data.shiftId, version, `status = $3`, [
        lifecycleAfter(event.type, true),
      ]);
      return;
    default:
      return; // not a directory event
  }
}

function updateShift(
  db: Queryable,
  shiftId: string,
  version: string,
  set: string,
  values: unknown[],
) {
  return db.query(
    `UPDATE cmd_shifts SET ${set}, version = $2 WHERE shift_id = $1 AND version < $2`,
    [shiftId, version, ...values],
  );
}
