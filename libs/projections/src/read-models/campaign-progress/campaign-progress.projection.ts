import { bulkInsert } from '../../runner/bulk-sql.js';
import { ident, rows, type ProjectionTx } from '../../runner/projection.js';
import { inWindowLocal } from '../volunteer-activity/campaign-time.sql.js';
import { applyCampaignMembers, type CampaignMemberDelta } from './campaign-members.projection.js';

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
    WHERE s.shift_id = ANY($1) AND a.shift_id = ANY($1) AND s.status <> 'rejected'
  ) x
  GROUP BY shift_id, campaign_id, member_id, day, service_type, inside
  RETURNING campaign_id, member_id, day::text, service_type, inside, events, citizens, turns, micros, verified_micros`;

/** New shares minus old ones, summed per counter key and per campaign member, written once per key. */
async function applyDeltas(tx: ProjectionTx, before: Share[], after: Share[]): Promise<void> {
  const s = ident(tx.schema);
  const days = new Map<
    string,
    Counters & { campaign_id: string; day: string; service_type: string; inside: boolean }
  >();
  const members = new Map<string, CampaignMemberDelta>();
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
    if (share.inside && share.member_id !== null) {
      const mkey = `${share.campaign_id}\u0000${share.member_id}`;
      const m = members.get(mkey) ?? {
        campaign_id: share.campaign_id,
        member_id: share.member_id,
        turns: 0,
        citizens: 0,
        verified_micros: 0,
      };
      m.turns += sign * Number(share.turns);
      m.citizens += sign * Number(share.citizens);
      m.verified_micros += sign * Number(share.verified_micros);
      members.set(mkey, m);
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
  await applyCampaignMembers(
    tx,
    [...members.values()].filter(
      (m) => m.turns !== 0 || m.citizens !== 0 || m.verified_micros !== 0,
    ),
  );
}
