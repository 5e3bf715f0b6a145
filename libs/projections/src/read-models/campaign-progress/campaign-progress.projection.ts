import {
  eventsOf,
  isEvent,
  shiftLifecycleEvents,
  storedCalendar,
  storedLocalDate,
  type CampaignCalendar,
  type ShiftLifecycle,
  type TypedEvent,
} from '#domain';
import type { RecordedEvent } from '#event-store';
import { bulkInsert } from '../../runner/bulk-sql.js';
import { ident, rows, type ProjectionTx } from '../../runner/projection.js';
import { CampaignClock } from './campaign-clock.js';
import { applyProgressDeltas } from './progress-deltas.js';
import {
  foldProgressShift,
  sharesOf,
  type AssistanceBucket,
  type ProgressShift,
  type Share,
} from './progress-shift.fold.js';

const campaignTypes = ['CampaignLaunched', 'CampaignExtended', 'CampaignClosed'] as const;
const shiftTypes = [...shiftLifecycleEvents, 'CitizenAssisted'] as const;
type CampaignEvent = TypedEvent<RecordedEvent, (typeof campaignTypes)[number]>;
type ShiftEvent = TypedEvent<RecordedEvent, (typeof shiftTypes)[number]>;
/** The events campaign progress is computed from. */
export const campaignProgressTypes = new Set<string>([...campaignTypes, ...shiftTypes]);

type Campaign = {
  campaign_id: string;
  name: string;
  calendar: CampaignCalendar;
  goals: unknown;
  closed: boolean;
  version: number;
};

type ShiftRow = Omit<ProgressShift, 'started_ms' | 'ended_ms' | 'version'> & {
  started_ms: string | null;
  ended_ms: string | null;
  version: string;
};

/**
 * Campaign progress as counters (campaign-progress.ddl.ts), from the events alone. A batch loads the
 * rows of the shifts it touches (one statement) and of the campaigns they belong to, folds the events
 * in memory, computes each changed shift's contribution (progress-shift.fold.ts) and moves the
 * difference from what the shift's row says it contributed before: summed in memory per counter key,
 * one upsert per table. A launch or an extension re-reads that campaign's shifts (their dates decide
 * what each contributes). Idempotent: rows carry the stream version of the last event folded in.
 *
 * It runs inside the volunteer-activity slot (one transaction, one checkpoint) only because the member
 * leaderboard's campaign view reads `progress_volunteers` beside that slot's members; it shares none of
 * that projection's rows, and registering it as a projection of its own is a matter of the registry.
 */
export async function applyCampaignProgress(
  batch: readonly RecordedEvent[],
  tx: ProjectionTx,
): Promise<void> {
  const s = ident(tx.schema);
  const campaignEvents: CampaignEvent[] = eventsOf(batch, ...campaignTypes);
  const shiftEvents: ShiftEvent[] = eventsOf(batch, ...shiftTypes);
  if (!campaignEvents.length && !shiftEvents.length) return;
  const recalendared = [
    ...new Set(
      campaignEvents.filter((e) => e.type !== 'CampaignClosed').map((e) => e.data.campaignId),
    ),
  ];
  const touched = [...new Set(shiftEvents.map((e) => e.data.shiftId))];
  const loaded = await rows<ShiftRow>(
    tx.sql,
    `SELECT shift_id, campaign_id, member_id, started_ms, ended_ms, status, version, assistance, shares
     FROM ${s}.progress_shifts WHERE shift_id = ANY($1)
     ${recalendared.length ? `UNION SELECT shift_id, campaign_id, member_id, started_ms, ended_ms, status, version, assistance, shares FROM ${s}.progress_shifts WHERE campaign_id = ANY($2)` : ''}`,
    recalendared.length ? [touched, recalendared] : [touched],
  );
  const shifts = new Map<string, ProgressShift>(loaded.map((r) => [r.shift_id, fromRow(r)]));
  const campaigns = await loadCampaigns(tx, [
    ...recalendared,
    ...campaignEvents.map((e) => e.data.campaignId),
    ...loaded.map((r) => r.campaign_id),
    ...shiftEvents.filter((e) => isEvent(e, 'ShiftStarted')).map((e) => e.data.campaignId),
  ]);
  const changedCampaigns = foldCampaigns(campaigns, campaignEvents);
  const clocks = new Map<string, CampaignClock>();
  const clockOf = (id: string) => {
    let clock = clocks.get(id);
    const calendar = campaigns.get(id)?.calendar;
    if (!clock && calendar) clocks.set(id, (clock = new CampaignClock(calendar)));
    return clock;
  };
  const changed = new Set<string>();
  for (const event of shiftEvents) {
    const id = event.data.shiftId;
    const row = foldProgressShift(shifts.get(id), event, clockOf);
    if (!row) continue;
    shifts.set(id, row);
    if (row.version === Number(event.streamVersion)) changed.add(id);
  }
  for (const row of shifts.values())
    if (row.campaign_id !== null && changedCampaigns.has(row.campaign_id))
      changed.add(row.shift_id);
  const moves: { row: ProgressShift; before: Share[] }[] = [];
  for (const id of changed) {
    const row = shifts.get(id)!;
    const before = row.shares;
    row.shares = sharesOf(row, row.campaign_id === null ? undefined : clockOf(row.campaign_id));
    moves.push({ row, before });
  }
  await writeCampaigns(
    tx,
    [...changedCampaigns].map((id) => campaigns.get(id)!),
  );
  await bulkInsert(tx.sql, {
    table: `${s}.progress_shifts`,
    columns: {
      shift_id: 'text',
      campaign_id: 'text',
      member_id: 'text',
      started_ms: 'bigint',
      ended_ms: 'bigint',
      status: 'text',
      version: 'bigint',
      assistance: 'jsonb',
      shares: 'jsonb',
    },
    rows: moves.map((m) => m.row),
    onConflict: `ON CONFLICT (shift_id) DO UPDATE SET campaign_id = EXCLUDED.campaign_id,
      member_id = EXCLUDED.member_id, started_ms = EXCLUDED.started_ms, ended_ms = EXCLUDED.ended_ms,
      status = EXCLUDED.status, version = EXCLUDED.version, assistance = EXCLUDED.assistance,
      shares = EXCLUDED.shares`,
  });
  await applyProgressDeltas(tx, moves);
}

function fromRow(row: ShiftRow): ProgressShift {
  return {
    ...row,
    started_ms: row.started_ms === null ? null : Number(row.started_ms),
    ended_ms: row.ended_ms === null ? null : Number(row.ended_ms),
    status: row.status as ShiftLifecycle,
    version: Number(row.version),
    assistance: row.assistance as AssistanceBucket[],
    shares: row.shares as Share[],
  };
}

async function loadCampaigns(
  tx: ProjectionTx,
  ids: (string | null)[],
): Promise<Map<string, Campaign>> {
  const wanted = [...new Set(ids.filter((id): id is string => typeof id === 'string'))];
  const found = await rows<Record<string, string | boolean | unknown>>(
    tx.sql,
    `SELECT campaign_id, name, timezone, start_date::text, end_date::text, window_from, window_to, goals,
       closed, version FROM ${ident(tx.schema)}.progress_campaigns WHERE campaign_id = ANY($1)`,
    [wanted],
  );
  return new Map(
    found.map((r) => [
      r.campaign_id as string,
      {
        campaign_id: r.campaign_id as string,
        name: r.name as string,
        calendar: {
          timezone: r.timezone as string,
          startDate: r.start_date as string,
          endDate: r.end_date as string,
          dailyWindow: { from: r.window_from as string, to: r.window_to as string },
        },
        goals: r.goals,
        closed: r.closed as boolean,
        version: Number(r.version),
      },
    ]),
  );
}

/** Launches, extensions and closings in log order; returns the campaigns whose row changed. */
function foldCampaigns(campaigns: Map<string, Campaign>, events: CampaignEvent[]): Set<string> {
  const changed = new Set<string>();
  for (const event of events) {
    const id = event.data.campaignId;
    const version = Number(event.streamVersion);
    const was = campaigns.get(id);
    if (event.type === 'CampaignLaunched') {
      if (was) continue;
      // dates, window and zone clamped into what the rules compute with (#domain storedCalendar)
      const calendar = storedCalendar(event.data);
      campaigns.set(id, {
        campaign_id: id,
        name: String(event.data.name),
        calendar,
        goals: event.data.goals ?? {},
        closed: false,
        version,
      });
    } else if (!was || was.version >= version) continue;
    else if (event.type === 'CampaignExtended')
      campaigns.set(id, {
        ...was,
        calendar: { ...was.calendar, endDate: storedLocalDate(event.data.endDate) },
        version,
      });
    else campaigns.set(id, { ...was, closed: true, version });
    changed.add(id);
  }
  return changed;
}

async function writeCampaigns(tx: ProjectionTx, changed: Campaign[]): Promise<void> {
  await bulkInsert(tx.sql, {
    table: `${ident(tx.schema)}.progress_campaigns`,
    columns: {
      campaign_id: 'text',
      name: 'text',
      timezone: 'text',
      start_date: 'date',
      end_date: 'date',
      window_from: 'text',
      window_to: 'text',
      goals: 'jsonb',
      closed: 'boolean',
      version: 'bigint',
    },
    rows: changed.map((c) => ({
      campaign_id: c.campaign_id,
      name: c.name,
      timezone: c.calendar.timezone,
      start_date: c.calendar.startDate,
      end_date: c.calendar.endDate,
      window_from: c.calendar.dailyWindow.from,
      window_to: c.calendar.dailyWindow.to,
      goals: JSON.stringify(c.goals), // travels as text: a goal list that is no object stays as it was
      closed: c.closed,
      version: c.version,
    })),
    onConflict: `ON CONFLICT (campaign_id) DO UPDATE SET end_date = EXCLUDED.end_date,
      closed = EXCLUDED.closed, version = EXCLUDED.version`,
  });
}
