import type pg from 'pg';
import {
  domainEvent,
  lifecycleAfter,
  storedInstant,
  storedLocalDate,
  storedLocalTime,
  storedTimezone,
} from '#domain';

/** The event types the write-side directory is built from (CitizenAssisted, clubs and posts need no row). */
export const directoryEventTypes = [
  'UnitRegistered',
  'MemberEnrolled',
  'MemberDataErased',
  'CampaignLaunched',
  'CampaignExtended',
  'CampaignClosed',
  'ShiftStarted',
  'ShiftEnded',
  'ShiftCorrected',
  'ShiftVerified',
  'ShiftRejected',
] as const;

export type DirectoryEvent = Readonly<{ type: string; data: unknown; streamVersion: bigint }>;

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
    case 'MemberEnrolled':
      await db.query(
        `INSERT INTO cmd_members (member_id, unit_id, version) VALUES ($1, $2, $3) ON CONFLICT (member_id) DO NOTHING`,
        [event.data.memberId, event.data.unitId, version],
      );
      return;
    case 'MemberDataErased':
      await db.query(
        `UPDATE cmd_members SET erased = true, version = $2 WHERE member_id = $1 AND version < $2`,
        [event.data.memberId, version],
      );
      return;
    case 'CampaignLaunched': {
      const d = event.data;
      const startDate = storedLocalDate(d.startDate);
      await db.query(
        `INSERT INTO cmd_campaigns (campaign_id, unit_id, timezone, start_date, end_date, window_from, window_to,
                                    service_types, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (campaign_id) DO NOTHING`,
        [
          d.campaignId,
          d.unitId,
          storedTimezone(d.timezone),
          startDate,
          storedLocalDate(d.endDate, startDate),
          storedLocalTime(d.dailyWindow?.from, '00:00'),
          storedLocalTime(d.dailyWindow?.to, '24:00', true),
          d.serviceTypes ? JSON.stringify(d.serviceTypes) : null,
          version,
        ],
      );
      return;
    }
    case 'CampaignExtended':
      await db.query(
        `UPDATE cmd_campaigns SET end_date = $2, version = $3 WHERE campaign_id = $1 AND version < $3`,
        [event.data.campaignId, storedLocalDate(event.data.endDate), version],
      );
      return;
    case 'CampaignClosed':
      await db.query(
        `UPDATE cmd_campaigns SET closed = true, version = $2 WHERE campaign_id = $1 AND version < $2`,
        [event.data.campaignId, version],
      );
      return;
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
