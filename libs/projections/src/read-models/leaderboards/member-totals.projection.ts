import { counts, countsSql, type ShiftLifecycle } from '#domain';
import { bulkInsert } from '../../runner/bulk-sql.js';
import { ident, rows, type ProjectionTx } from '../../runner/projection.js';
import { windowOf, type CalendarRow, type Window } from './campaign-window.js';
import { MemberFigures } from './member-figures.js';
import { verifiedMicrosSql } from './member-hours.sql.js';

/** What the volunteer-activity batch has just written, for the member figures to follow. */
export type MemberTotalsInput = Readonly<{
  /** Shift rows the batch changed. */
  shifts: readonly string[];
  /** Assistance rows the batch added (each once: the shift row's version guards them). */
  assisted: readonly {
    shift_id: string;
    campaign_id: string | null;
    citizens: number;
    occurred_at: string;
  }[];
  /** Campaigns launched or extended in the batch: their dates decide what counts for them. */
  calendars: readonly string[];
  /** Members enrolled in the batch. */
  members: readonly string[];
}>;

type ShiftState = {
  shift_id: string;
  member_id: string | null;
  campaign_id: string | null;
  status: ShiftLifecycle;
  started_ms: number | null;
  verified_micros: string;
  clipped_micros: string;
  had: boolean;
  counted: boolean | null;
  was_started_ms: number | null;
  was_verified: string | null;
  was_clipped: string | null;
} & Partial<Omit<CalendarRow, 'campaign_id'>>;

/**
 * Keeps member_figures (member-totals.ddl.ts) in the volunteer-activity batch, after its shifts and
 * assistance are written. Everything is summed in memory (MemberFigures) and written with one upsert
 * per touched key:
 * - new assistance adds its citizens to the buckets of when it happened, for everything and, inside
 *   the window, for its campaign, when the shift counted citizens before this batch;
 * - a shift whose citizens start or stop counting (`counts(status)`: a rejection, a correction after
 *   one) adds or takes back its whole assistance, read by its shift id; with the rule above, that is
 *   exact even when the assistance and the verdict share a batch (old + new = stored rows);
 * - verified hours: the shift's previous share (member_shift_shares) is taken back from the bucket
 *   of its previous start and the new one added at its current start;
 * - a campaign launched or extended changes what is inside its window for every shift: its scope is
 *   counted again from its facts (the campaign's rows only, once per such event).
 * Idempotent: a batch only sees shifts and assistance that the shift versions let through.
 */
export async function applyMemberTotals(tx: ProjectionTx, input: MemberTotalsInput): Promise<void> {
  const s = ident(tx.schema);
  if (input.members.length) {
    await tx.sql.query(
      `INSERT INTO ${s}.member_paths SELECT m.member_id, u.path FROM ${s}.members m
       JOIN ${s}.units u ON u.unit_id = m.unit_id WHERE m.member_id = ANY($1) ON CONFLICT (member_id) DO NOTHING`,
      [input.members],
    );
  }
  const recount = [...new Set(input.calendars)];
  if (!input.shifts.length && !recount.length) return;
  const recounted = new Set(recount);
  const figures = new MemberFigures();
  // the shifts the batch changed, and every verified shift of a recounted campaign (clipped anew)
  const where = recount.length
    ? `s.shift_id = ANY($1) OR (s.campaign_id = ANY($2) AND ${countsSql.verifiedHours('s.status')})`
    : `s.shift_id = ANY($1)`;
  const states = await rows<ShiftState>(
    tx.sql,
    `SELECT s.shift_id, s.member_id, s.campaign_id, s.status,
       floor(EXTRACT(EPOCH FROM s.started_at) * 1000)::float8 AS started_ms,
       ${verifiedMicrosSql.whole()} AS verified_micros,
       ${verifiedMicrosSql.clipped(s)} AS clipped_micros,
       p.shift_id IS NOT NULL AS had, p.counted, floor(EXTRACT(EPOCH FROM p.started_at) * 1000)::float8 AS was_started_ms,
       p.verified_micros AS was_verified, p.clipped_micros AS was_clipped,
       c.timezone, c.start_date::text, c.end_date::text, c.window_from::text, c.window_to::text
     FROM ${s}.shifts s LEFT JOIN ${s}.member_shift_shares p ON p.shift_id = s.shift_id
     LEFT JOIN ${s}.campaigns c ON c.campaign_id = s.campaign_id
     WHERE ${where}`,
    recount.length ? [input.shifts, recount] : [input.shifts],
  );
  const shifts = new Map<string, ShiftState>();
  const flipped: ShiftState[] = [];
  const shares: Record<string, unknown>[] = [];
  const cleared: string[] = [];
  for (const st of states) {
    if (st.member_id === null) continue;
    const member = st.member_id;
    shifts.set(st.shift_id, st);
    const was = {
      counted: st.counted ?? true,
      started: st.was_started_ms,
      whole: Number(st.was_verified ?? 0),
      clipped: Number(st.was_clipped ?? 0),
    };
    const now = {
      counted: counts(st.status).citizens,
      started: st.started_ms,
      whole: Number(st.verified_micros),
      clipped: Number(st.clipped_micros),
    };
    if (was.counted !== now.counted) flipped.push(st);
    // hours by the shift's start; a recounted campaign's clipped hours were reset, none to take back
    const scope = st.campaign_id ?? '';
    const reset = recounted.has(scope);
    if (was.started !== null)
      figures.add(scope, member, was.started, {
        verified_micros: -was.whole,
        clipped_micros: reset ? 0 : -was.clipped,
      });
    if (now.started !== null)
      figures.add(scope, member, now.started, {
        verified_micros: now.whole,
        clipped_micros: now.clipped,
      });
    const hours = now.whole !== 0 || now.clipped !== 0;
    const same =
      st.had &&
      was.counted === now.counted &&
      was.whole === now.whole &&
      was.clipped === now.clipped &&
      (!hours || was.started === now.started);
    if (now.counted && !hours) {
      if (st.had) cleared.push(st.shift_id);
    } else if (!same) {
      shares.push({
        shift_id: st.shift_id,
        counted: now.counted,
        started_at: hours && now.started !== null ? new Date(now.started).toISOString() : null,
        verified_micros: now.whole,
        clipped_micros: now.clipped,
      });
    }
  }
  const flippedAssistance = flipped.length
    ? await rows<{ shift_id: string; campaign_id: string | null; citizens: number; ms: number }>(
        tx.sql,
        `SELECT shift_id, campaign_id, citizens, floor(EXTRACT(EPOCH FROM occurred_at) * 1000)::float8 AS ms
         FROM ${s}.assistance WHERE shift_id = ANY($1)`,
        [flipped.map((st) => st.shift_id)],
      )
    : [];
  const recountAssistance = recount.length
    ? await rows<{ campaign_id: string; member_id: string; citizens: number; ms: number }>(
        tx.sql,
        `SELECT a.campaign_id, s.member_id, a.citizens, floor(EXTRACT(EPOCH FROM a.occurred_at) * 1000)::float8 AS ms
         FROM ${s}.assistance a JOIN ${s}.shifts s ON s.shift_id = a.shift_id AND s.campaign_id = a.campaign_id
         WHERE a.campaign_id = ANY($1) AND ${countsSql.citizens('s.status')} AND s.member_id IS NOT NULL`,
        [recount],
      )
    : [];
  // the window of each shift's campaign came with its row; a recounted campaign's is read
  const windows = await windowsOf(tx, recount);
  for (const st of shifts.values())
    if (st.campaign_id !== null && st.timezone && !windows.has(st.campaign_id))
      windows.set(st.campaign_id, windowOf({ ...st, campaign_id: st.campaign_id } as CalendarRow));
  const citizens = (shift: ShiftState, campaignId: string | null, ms: number, n: number) => {
    const scope = shift.campaign_id ?? '';
    const inside =
      campaignId !== null &&
      campaignId === shift.campaign_id &&
      !recounted.has(campaignId) &&
      windows.get(campaignId)?.(ms) === true;
    figures.add(scope, shift.member_id!, ms, { citizens: n, window_citizens: inside ? n : 0 });
  };
  for (const a of input.assisted) {
    const shift = shifts.get(a.shift_id);
    // counted as the shift counted before the batch; a verdict in the batch moves the rest (flipped)
    if (shift && (shift.counted ?? true))
      citizens(shift, a.campaign_id, Date.parse(a.occurred_at), a.citizens);
  }
  for (const a of flippedAssistance) {
    const shift = shifts.get(a.shift_id)!;
    citizens(shift, a.campaign_id, a.ms, counts(shift.status).citizens ? a.citizens : -a.citizens);
  }
  for (const a of recountAssistance)
    if (windows.get(a.campaign_id)?.(a.ms))
      figures.add(a.campaign_id, a.member_id, a.ms, { window_citizens: a.citizens });
  if (recount.length)
    await tx.sql.query(
      `UPDATE ${s}.member_figures SET window_citizens = 0, clipped_micros = 0 WHERE scope = ANY($1)`,
      [recount],
    );
  await figures.write(tx.sql, s);
  if (recount.length)
    await tx.sql.query(
      `DELETE FROM ${s}.member_figures WHERE scope = ANY($1) AND citizens = 0 AND verified_micros = 0
         AND window_citizens = 0 AND clipped_micros = 0`,
      [recount],
    );
  await bulkInsert(tx.sql, {
    table: `${s}.member_shift_shares`,
    columns: {
      shift_id: 'text',
      counted: 'boolean',
      started_at: 'timestamptz',
      verified_micros: 'bigint',
      clipped_micros: 'bigint',
    },
    rows: shares,
    onConflict: `ON CONFLICT (shift_id) DO UPDATE SET counted = EXCLUDED.counted, started_at = EXCLUDED.started_at,
      verified_micros = EXCLUDED.verified_micros, clipped_micros = EXCLUDED.clipped_micros`,
  });
  if (cleared.length)
    await tx.sql.query(`DELETE FROM ${s}.member_shift_shares WHERE shift_id = ANY($1)`, [cleared]);
}

async function windowsOf(tx: ProjectionTx, ids: string[]): Promise<Map<string, Window>> {
  const windows = new Map<string, Window>();
  if (!ids.length) return windows;
  for (const row of await rows<CalendarRow>(
    tx.sql,
    `SELECT campaign_id, timezone, start_date::text, end_date::text, window_from::text, window_to::text
     FROM ${ident(tx.schema)}.campaigns WHERE campaign_id = ANY($1)`,
    [ids],
  ))
    windows.set(row.campaign_id, windowOf(row));
  return windows;
}
