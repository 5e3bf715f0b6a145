import {
  eventsOf,
  isEvent,
  storedCalendar,
  storedCount,
  storedInstant,
  storedLocalDate,
  type DomainEventType,
  type TypedEvent,
} from '#domain';
import type { RecordedEvent } from '#event-store';
import { bulkInsert, lastBy } from '../../runner/bulk-sql.js';
import {
  ident,
  rows,
  type Projection,
  type ProjectionTx,
  type Sql,
} from '../../runner/projection.js';
import {
  createVolunteerActivityIndexes,
  createVolunteerActivityTables,
  volunteerActivityTables,
} from './volunteer-activity.ddl.js';
import { foldShift, maxCitizens, shiftStreamTypes, type ShiftRow } from './shift-fold.js';
import { nameColumn } from '../member-names.js';
import { applyCampaignProgress } from '../campaign-progress/campaign-progress.projection.js';
import { applyMemberTotals } from '../leaderboards/member-totals.projection.js';
import { applyUnitRollups, unitRollupsBefore } from '../unit-rollups/unit-rollups.projection.js';

/** A recorded event typed as the domain event(s) `T` (stored values still read with the stored-side readers). */
type Recorded<T extends DomainEventType> = TypedEvent<RecordedEvent, T>;

/**
 * When a fact happened, as an instant PostgreSQL stores (#domain storedInstant clamps what an older
 * gate let in); when even that cannot be read, when it was recorded, so that the fact still counts.
 */
const happenedAt = (value: unknown, event: RecordedEvent): string =>
  storedInstant(value) ?? storedInstant(event.metadata.recordedAt) ?? new Date(0).toISOString();

/**
 * The facts (units with their ancestor path, members, campaigns with their window, shifts with their
 * current times and status, assistance, clubs, posts) and, kept in the same transaction from them,
 * the answers the dashboards read: campaign progress counters, member figures, unit roll-ups (each
 * in its own read-model folder). The facts are what the answers' deltas are computed against: a
 * shift's row says what it contributed before an event moved it.
 */
export const volunteerActivityProjection: Projection = {
  name: 'volunteer-activity',
  // v2: shifts carry the sum of their assistance (citizens); assistance rows their shift's campaign
  // 3: names kept sealed; 4: campaign progress and member totals kept as counters; 5: progress from its
  // own rows; 6: member figures per campaign and period; 7: unit roll-ups through a closure; 8: member
  // figures keyed by unit path, in days of the read zone (leaderboards/member-buckets.ts); 9: member
  // total rows indexed in the boards' order (leaderboards/member-top-totals.sql.ts); 10: DST days
  // counted by one rule in progress and boards (a window from the first `from` to the last `to`, a day
  // from its first midnight: time-window.ts `windowOn`, campaign-time.sql.ts), and a campaign zone
  // stored as CET, EET, MET or WET kept as its place (storedTimezone), which SQL reads with DST; 11: the
  // first hours of 2000-01-01 east of UTC (the last of 2099-12-31 west of it) on their campaign day;
  // 12: a zone stored under ICU's own name (VST, IST, SystemV/…) kept as its place, which SQL knows
  version: 12,
  handles: new Set([
    'UnitRegistered',
    'MemberEnrolled',
    'MemberDataErased',
    'CampaignLaunched',
    'CampaignExtended',
    'CampaignClosed',
    ...shiftStreamTypes,
    'ClubFormed',
    'PostPublished',
  ]),
  tables: volunteerActivityTables,
  createTables: createVolunteerActivityTables,
  createIndexes: createVolunteerActivityIndexes,
  async apply(batch, tx) {
    const s = ident(tx.schema);
    const byType = <T extends DomainEventType>(...types: T[]): Recorded<T>[] =>
      eventsOf(batch, ...types);
    const rollups = await unitRollupsBefore(tx, batch); // before members, shifts, clubs, posts are written
    await applyUnits(tx.sql, s, byType('UnitRegistered'));
    await applyMembers(tx.sql, s, byType('MemberEnrolled', 'MemberDataErased'));
    await applyCampaigns(
      tx.sql,
      s,
      byType('CampaignLaunched', 'CampaignExtended', 'CampaignClosed'),
    );
    const shifts = await applyShifts(tx, byType(...shiftStreamTypes));
    await bulkInsert(tx.sql, {
      table: `${s}.assistance`,
      columns: {
        shift_id: 'text',
        campaign_id: 'text',
        service_type: 'text',
        citizens: 'int',
        occurred_at: 'timestamptz',
      },
      rows: shifts.assisted,
      onConflict: '',
    });
    await applyCampaignProgress(batch, tx);
    const calendars = byType('CampaignLaunched', 'CampaignExtended').map((e) => e.data.campaignId);
    const enrolled = byType('MemberEnrolled').map((e) => e.data.memberId);
    await applyMemberTotals(tx, {
      shifts: shifts.changed,
      assisted: shifts.assisted,
      calendars,
      members: enrolled,
    });
    await applyUnitRollups(tx, batch, rollups);
    await bulkInsert(tx.sql, {
      table: `${s}.clubs`,
      columns: { club_id: 'text', unit_id: 'text', name: 'text', founded_at: 'timestamptz' },
      rows: byType('ClubFormed').map((event) => ({
        club_id: event.data.clubId,
        unit_id: event.data.unitId,
        name: event.data.name,
        founded_at: happenedAt(event.data.foundedAt, event),
      })),
      onConflict: 'ON CONFLICT (club_id) DO NOTHING',
    });
    await bulkInsert(tx.sql, {
      table: `${s}.posts`,
      columns: {
        post_id: 'text',
        unit_id: 'text',
        channel: 'text',
        tags: 'jsonb',
        published_at: 'timestamptz',
      },
      rows: byType('PostPublished').map((event) => ({
        post_id: event.data.postId,
        unit_id: event.data.unitId,
        channel: event.data.channel,
        tags: event.data.tags ?? [],
        published_at: happenedAt(event.data.publishedAt, event),
      })),
      onConflict: 'ON CONFLICT (post_id) DO NOTHING',
    });
  },
};

/**
 * A unit's path extends its parent's: parents registered in this batch are resolved in memory (log
 * order puts them first), the others are read once from the table; then one insert for all.
 */
async function applyUnits(
  sql: Sql,
  s: string,
  events: Recorded<'UnitRegistered'>[],
): Promise<void> {
  if (!events.length) return;
  const units = events.map(({ data }) => data);
  const paths = new Map<string, string[]>();
  const inBatch = new Set(units.map((u) => u.unitId));
  const outside = [
    ...new Set(units.map((u) => u.parentId).filter((p): p is string => !!p && !inBatch.has(p))),
  ];
  if (outside.length) {
    for (const row of await rows<{ unit_id: string; path: string[] }>(
      sql,
      `SELECT unit_id, path FROM ${s}.units WHERE unit_id = ANY($1)`,
      [outside],
    )) {
      paths.set(row.unit_id, row.path);
    }
  }
  for (const u of units)
    if (!paths.has(u.unitId))
      paths.set(u.unitId, [...(u.parentId ? (paths.get(u.parentId) ?? []) : []), u.unitId]);
  await bulkInsert(sql, {
    table: `${s}.units`,
    columns: {
      unit_id: 'text',
      name: 'text',
      kind: 'text',
      parent_id: 'text',
      path: 'text::text[]',
    },
    rows: units.map((u) => ({
      unit_id: u.unitId,
      name: u.name,
      kind: u.kind,
      parent_id: u.parentId ?? null,
      path: `{${paths
        .get(u.unitId)!
        .map((id) => `"${String(id).replace(/["\\]/g, '\\$&')}"`)
        .join(',')}}`,
    })),
    onConflict: 'ON CONFLICT (unit_id) DO NOTHING',
  });
}

async function applyMembers(
  sql: Sql,
  s: string,
  events: Recorded<'MemberEnrolled' | 'MemberDataErased'>[],
): Promise<void> {
  await bulkInsert(sql, {
    table: `${s}.members`,
    columns: { member_id: 'text', unit_id: 'text', display_name: 'text' },
    rows: events
      .filter((e) => isEvent(e, 'MemberEnrolled'))
      .map(({ data: d }) => ({
        member_id: d.memberId,
        unit_id: d.unitId,
        display_name: nameColumn(d.displayName), // sealed: see member-names.ts
      })),
    onConflict: 'ON CONFLICT (member_id) DO NOTHING',
  });
  const erased = events.filter((e) => isEvent(e, 'MemberDataErased')).map((e) => e.data.memberId);
  if (erased.length) {
    await sql.query(
      `UPDATE ${s}.members SET display_name = NULL, erased = true WHERE member_id = ANY($1)`,
      [erased],
    );
  }
}

async function applyCampaigns(
  sql: Sql,
  s: string,
  events: Recorded<'CampaignLaunched' | 'CampaignExtended' | 'CampaignClosed'>[],
): Promise<void> {
  for (const event of events) {
    const version = event.streamVersion.toString();
    if (isEvent(event, 'CampaignLaunched')) {
      const d = event.data;
      // dates, window and zone clamped into what the queries compute with (#domain storedCalendar)
      const calendar = storedCalendar(d);
      await sql.query(
        `INSERT INTO ${s}.campaigns (campaign_id, unit_id, name, timezone, start_date, end_date, window_from, window_to, goals, service_types, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (campaign_id) DO NOTHING`,
        [
          d.campaignId,
          d.unitId,
          d.name,
          calendar.timezone,
          calendar.startDate,
          calendar.endDate,
          calendar.dailyWindow.from,
          calendar.dailyWindow.to,
          JSON.stringify(d.goals ?? {}),
          d.serviceTypes ? JSON.stringify(d.serviceTypes) : null,
          version,
        ],
      );
    } else {
      const extended = isEvent(event, 'CampaignExtended');
      const set = extended ? 'end_date = $3::date' : 'closed = true';
      const { campaignId } = event.data;
      const params = extended
        ? [campaignId, version, storedLocalDate(event.data.endDate)]
        : [campaignId, version];
      await sql.query(
        `UPDATE ${s}.campaigns SET ${set}, version = $2 WHERE campaign_id = $1 AND version < $2`,
        params,
      );
    }
  }
}

type AssistanceRow = {
  shift_id: string;
  campaign_id: string | null;
  service_type: string;
  citizens: number;
  occurred_at: string;
};

/**
 * Load the rows this batch touches, fold the events in memory, write every changed row back at once.
 * Returns the assistance rows not applied before (newer than the shift row's version) and the shifts changed.
 */
async function applyShifts(
  tx: ProjectionTx,
  events: Recorded<(typeof shiftStreamTypes)[number]>[],
): Promise<{ assisted: AssistanceRow[]; changed: string[] }> {
  if (!events.length) return { assisted: [], changed: [] };
  const s = ident(tx.schema);
  // Every shift the batch touches, even those it starts: a replayed stretch must see the rows it already wrote.
  const touched = [...new Set(events.map((e) => e.data.shiftId))];
  const current = new Map<string, ShiftRow>();
  if (touched.length) {
    const loaded = await rows<ShiftRow>(
      tx.sql,
      `SELECT shift_id, member_id, campaign_id, location, started_at::text, ended_at::text, status, citizens, version::text
       FROM ${s}.shifts WHERE shift_id = ANY($1)`,
      [touched],
    );
    for (const row of loaded) current.set(row.shift_id, row);
  }
  const changed = new Map<string, ShiftRow>();
  const assisted: AssistanceRow[] = [];
  for (const event of events) {
    const id = event.data.shiftId;
    const before = changed.get(id) ?? current.get(id);
    const next = foldShift(before, event);
    if (next && next !== before) changed.set(id, next);
    // new unless the row already covers its version (a shift without a row keeps no guard: rare, and
    // the checkpoint transaction already makes a batch apply once)
    if (
      isEvent(event, 'CitizenAssisted') &&
      (!before || BigInt(before.version) < event.streamVersion)
    ) {
      const d = event.data;
      assisted.push({
        shift_id: id,
        campaign_id: before?.campaign_id ?? null,
        service_type: d.serviceType,
        citizens: storedCount(d.citizens, 1, maxCitizens),
        occurred_at: happenedAt(d.occurredAt, event),
      });
    }
  }
  await bulkInsert(tx.sql, {
    table: `${s}.shifts`,
    columns: {
      shift_id: 'text',
      member_id: 'text',
      campaign_id: 'text',
      location: 'text',
      started_at: 'timestamptz',
      ended_at: 'timestamptz',
      status: 'text',
      citizens: 'int',
      version: 'bigint',
    },
    rows: lastBy([...changed.values()], (row) => row.shift_id),
    onConflict: `ON CONFLICT (shift_id) DO UPDATE SET member_id = EXCLUDED.member_id, campaign_id = EXCLUDED.campaign_id,
      location = EXCLUDED.location, started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at, status = EXCLUDED.status,
      citizens = EXCLUDED.citizens, version = EXCLUDED.version WHERE ${s}.shifts.version < EXCLUDED.version`,
  });
  return { assisted, changed: [...changed.keys()] };
}
