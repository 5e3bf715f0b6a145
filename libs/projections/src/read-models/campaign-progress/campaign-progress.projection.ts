import { bulkInsert } from '../../runner/bulk-sql.js';
import { ident, rows, type ProjectionTx } from '../../runner/projection.js';
import { inWindowLocal } from '../volunteer-activity/campaign-time.sql.js';

/** What the volunteer-activity batch has just written, for the counters to follow. */
export type ProgressInput = Readonly<{
  /** Shift rows the batch changed (started, ended, corrected, verified, rejected, assisted). */
  shifts: readonly string[];
  /** Assistance rows the batch added (each once: the shift row's version guards them). */
  assisted: readonly {
    shift_id: string;
    campaign_id: string | null;
    service_type: string;
    citizens: number;
    occurred_at: string;
  }[];
  /** Campaigns launched or extended in the batch: their dates decide what every shift contributes. */
  calendars: readonly string[];
}>;

type Share = {
  campaign_id: string;
  member_id: string | null;
  day: string;
  service_type: string;
  inside: boolean;
  events: string;
  citizens: string;
  turns: string;
  micros: string;
  verified_micros: string;
};
const counterNames = ['events', 'citizens', 'turns', 'micros', 'verified_micros'] as const;
type Counters = Record<(typeof counterNames)[number], number>;

/**
 * Keeps campaign progress as counters (campaign-progress.ddl.ts), run inside the volunteer-activity
 * batch once its shifts, campaigns and assistance are written. Each touched shift's contribution is
 * recomputed from its own row by PostgreSQL (the same window rules as the facts, campaign-time.sql.ts),
 * the previous contribution is taken back, and only the difference reaches the counters: aggregated in
 * memory, one upsert per touched key. Idempotent: a contribution is a function of the shift row and
 * its campaign, and assistance buckets only receive rows the shift version let through.
 */
export async function applyCampaignProgress(tx: ProjectionTx, input: ProgressInput): Promise<void> {
  const s = ident(tx.schema);
  const assisted = input.assisted.filter((a) => a.campaign_id !== null);
  if (assisted.length) {
    await tx.sql.query(
      `INSERT INTO ${s}.progress_assistance (shift_id, day, service_type, in_daily, events, citizens)
       SELECT u.shift_id, l.at::date, u.service_type, l.at::time >= c.window_from AND l.at::time < c.window_to,
         count(*), sum(u.citizens)
       FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::timestamptz[])
         AS u(shift_id, campaign_id, service_type, citizens, occurred_at)
       JOIN ${s}.campaigns c ON c.campaign_id = u.campaign_id
       CROSS JOIN LATERAL (SELECT u.occurred_at AT TIME ZONE c.timezone AS at OFFSET 0) l
       GROUP BY 1, 2, 3, 4
       ON CONFLICT (shift_id, day, service_type, in_daily) DO UPDATE SET
         events = ${s}.progress_assistance.events + EXCLUDED.events,
         citizens = ${s}.progress_assistance.citizens + EXCLUDED.citizens`,
      [
        assisted.map((a) => a.shift_id),
        assisted.map((a) => a.campaign_id),
        assisted.map((a) => a.service_type),
        assisted.map((a) => a.citizens),
        assisted.map((a) => a.occurred_at),
      ],
    );
  }
  const touched = new Set(input.shifts);
  if (input.calendars.length) {
    for (const row of await rows<{ shift_id: string }>(
      tx.sql,
      `SELECT shift_id FROM ${s}.shifts WHERE campaign_id = ANY($1)`,
      [input.calendars],
    ))
      touched.add(row.shift_id);
  }
  if (!touched.size) return;
  const ids = [...touched];
  const before = await rows<Share>(
    tx.sql,
    `DELETE FROM ${s}.progress_shares WHERE shift_id = ANY($1)
     RETURNING campaign_id, member_id, day::text, service_type, inside, events, citizens, turns, micros, verified_micros`,
    [ids],
  );
  const after = await rows<Share>(tx.sql, sharesOf(s), [ids]);
  await applyDeltas(tx, before, after);
}

/** The contributions of the shifts `$1` as they stand: turn, clipped hours per day, assistance. */
const sharesOf = (s: string) => `
  INSERT INTO ${s}.progress_shares
  SELECT shift_id, campaign_id, member_id, day, service_type, inside,
    sum(events), sum(citizens), sum(turns), sum(micros), sum(verified_micros)
  FROM (
    SELECT s.shift_id, s.campaign_id, s.member_id, l.at::date AS day, '' AS service_type,
      ${inWindowLocal('l.at')} AS inside, 0 AS events, 0 AS citizens, 1 AS turns, 0::bigint AS micros,
      0::bigint AS verified_micros
    FROM ${s}.shifts s JOIN ${s}.campaigns c ON c.campaign_id = s.campaign_id
    CROSS JOIN LATERAL (SELECT s.started_at AT TIME ZONE c.timezone AS at OFFSET 0) l
    WHERE s.shift_id = ANY($1) AND s.status <> 'rejected' AND s.started_at IS NOT NULL
    UNION ALL
    SELECT h.shift_id, h.campaign_id, h.member_id, h.day, '', true, 0, 0, 0, h.micros,
      CASE WHEN h.status = 'verified' THEN h.micros ELSE 0 END
    FROM (
      SELECT s.shift_id, s.campaign_id, s.member_id, s.status, d.day::date AS day,
        GREATEST(0, round(EXTRACT(EPOCH FROM
          LEAST(s.ended_at, (d.day::date + c.window_to) AT TIME ZONE c.timezone)
          - GREATEST(s.started_at, (d.day::date + c.window_from) AT TIME ZONE c.timezone)) * 1000000))::bigint AS micros
      FROM ${s}.shifts s JOIN ${s}.campaigns c ON c.campaign_id = s.campaign_id
      CROSS JOIN LATERAL generate_series(
        GREATEST((s.started_at AT TIME ZONE c.timezone)::date, c.start_date)::timestamp,
        LEAST((s.ended_at AT TIME ZONE c.timezone)::date, c.end_date)::timestamp, interval '1 day') AS d(day)
      WHERE s.shift_id = ANY($1) AND s.ended_at IS NOT NULL AND s.status IN ('pending', 'verified')
        AND d.day::date BETWEEN c.start_date AND c.end_date) h
    UNION ALL
    SELECT s.shift_id, s.campaign_id, s.member_id, a.day, a.service_type,
      a.in_daily AND a.day BETWEEN c.start_date AND c.end_date, a.events, a.citizens, 0, 0, 0
    FROM ${s}.shifts s JOIN ${s}.campaigns c ON c.campaign_id = s.campaign_id
    JOIN ${s}.progress_assistance a ON a.shift_id = s.shift_id
    WHERE s.shift_id = ANY($1) AND s.status <> 'rejected'
  ) x
  GROUP BY shift_id, campaign_id, member_id, day, service_type, inside
  RETURNING campaign_id, member_id, day::text, service_type, inside, events, citizens, turns, micros, verified_micros`;

/** New shares minus old ones, summed per counter key and per volunteer, written once per key. */
async function applyDeltas(tx: ProjectionTx, before: Share[], after: Share[]): Promise<void> {
  const s = ident(tx.schema);
  const days = new Map<
    string,
    Counters & { campaign_id: string; day: string; service_type: string; inside: boolean }
  >();
  const volunteers = new Map<string, { campaign_id: string; member_id: string; turns: number }>();
  const add = (share: Share, sign: 1 | -1) => {
    const key = `${share.campaign_id}\u0000${share.day}\u0000${share.service_type}\u0000${share.inside}`;
    let row = days.get(key);
    if (!row) {
      row = {
        campaign_id: share.campaign_id,
        day: share.day,
        service_type: share.service_type,
        inside: share.inside,
        events: 0,
        citizens: 0,
        turns: 0,
        micros: 0,
        verified_micros: 0,
      };
      days.set(key, row);
    }
    for (const name of counterNames) row[name] += sign * Number(share[name]);
    if (share.inside && share.member_id !== null && Number(share.turns)) {
      const vkey = `${share.campaign_id}\u0000${share.member_id}`;
      const v = volunteers.get(vkey) ?? {
        campaign_id: share.campaign_id,
        member_id: share.member_id,
        turns: 0,
      };
      v.turns += sign * Number(share.turns);
      volunteers.set(vkey, v);
    }
  };
  for (const share of before) add(share, -1);
  for (const share of after) add(share, 1);
  const changed = [...days.values()].filter((row) => counterNames.some((name) => row[name] !== 0));
  if (changed.length) {
    await bulkInsert(tx.sql, {
      table: `${s}.progress_days`,
      columns: {
        campaign_id: 'text',
        day: 'date',
        service_type: 'text',
        inside: 'boolean',
        events: 'bigint',
        citizens: 'bigint',
        turns: 'bigint',
        micros: 'bigint',
        verified_micros: 'bigint',
      },
      rows: changed,
      onConflict: `ON CONFLICT (campaign_id, day, service_type, inside) DO UPDATE SET
        ${counterNames.map((name) => `${name} = ${s}.progress_days.${name} + EXCLUDED.${name}`).join(', ')}`,
    });
    // a key back at zero is as if never touched: live and rebuilt read models stay row for row equal
    await tx.sql.query(
      `DELETE FROM ${s}.progress_days d USING unnest($1::text[], $2::date[], $3::text[], $4::boolean[])
         AS u(campaign_id, day, service_type, inside)
       WHERE (d.campaign_id, d.day, d.service_type, d.inside) = (u.campaign_id, u.day, u.service_type, u.inside)
         AND ${counterNames.map((name) => `d.${name} = 0`).join(' AND ')}`,
      [
        changed.map((row) => row.campaign_id),
        changed.map((row) => row.day),
        changed.map((row) => row.service_type),
        changed.map((row) => row.inside),
      ],
    );
  }
  await applyVolunteers(
    tx,
    [...volunteers.values()].filter((v) => v.turns !== 0),
  );
}

/** Turns inside the window per member; a member going from none to some (or back) moves the distinct count. */
async function applyVolunteers(
  tx: ProjectionTx,
  deltas: { campaign_id: string; member_id: string; turns: number }[],
): Promise<void> {
  if (!deltas.length) return;
  const s = ident(tx.schema);
  const current = new Map<string, number>();
  for (const row of await rows<{ campaign_id: string; member_id: string; turns: string }>(
    tx.sql,
    `SELECT v.campaign_id, v.member_id, v.turns FROM ${s}.progress_volunteers v
     JOIN unnest($1::text[], $2::text[]) AS u(campaign_id, member_id) USING (campaign_id, member_id)`,
    [deltas.map((d) => d.campaign_id), deltas.map((d) => d.member_id)],
  ))
    current.set(`${row.campaign_id}\u0000${row.member_id}`, Number(row.turns));
  const distinct = new Map<string, number>();
  const next = deltas.map((d) => {
    const was = current.get(`${d.campaign_id}\u0000${d.member_id}`) ?? 0;
    const turns = was + d.turns;
    const move = (turns > 0 ? 1 : 0) - (was > 0 ? 1 : 0);
    if (move) distinct.set(d.campaign_id, (distinct.get(d.campaign_id) ?? 0) + move);
    return { ...d, turns };
  });
  await bulkInsert(tx.sql, {
    table: `${s}.progress_volunteers`,
    columns: { campaign_id: 'text', member_id: 'text', turns: 'bigint' },
    rows: next,
    onConflict: `ON CONFLICT (campaign_id, member_id) DO UPDATE SET turns = EXCLUDED.turns`,
  });
  const gone = next.filter((v) => v.turns === 0);
  if (gone.length) {
    await tx.sql.query(
      `DELETE FROM ${s}.progress_volunteers v USING unnest($1::text[], $2::text[]) AS u(campaign_id, member_id)
       WHERE (v.campaign_id, v.member_id) = (u.campaign_id, u.member_id)`,
      [gone.map((v) => v.campaign_id), gone.map((v) => v.member_id)],
    );
  }
  const moves = [...distinct].filter(([, n]) => n !== 0);
  if (!moves.length) return;
  await tx.sql.query(
    `INSERT INTO ${s}.progress_campaigns (campaign_id, volunteers) SELECT * FROM unnest($1::text[], $2::bigint[])
     ON CONFLICT (campaign_id) DO UPDATE SET volunteers = ${s}.progress_campaigns.volunteers + EXCLUDED.volunteers`,
    [moves.map(([id]) => id), moves.map(([, n]) => n)],
  );
  await tx.sql.query(
    `DELETE FROM ${s}.progress_campaigns WHERE volunteers = 0 AND campaign_id = ANY($1)`,
    [moves.map(([id]) => id)],
  );
}
