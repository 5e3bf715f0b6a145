import { bulkInsert } from '../../runner/bulk-sql.js';
import { ident, rows, type ProjectionTx, type Sql } from '../../runner/projection.js';

/**
 * Per-member totals over every shift, whatever its campaign (the member leaderboards without a
 * campaign or a period): `member_shift_shares` holds what each shift gives its member now (citizens
 * unless rejected; whole shift hours, unclipped, once verified), `member_totals` their sum. As for
 * campaign progress, a changed shift's share is recomputed from its row, the old one taken back, and
 * one upsert per member carries the difference. Hours are whole microseconds.
 */
export const memberTotalsTables = ['member_shift_shares', 'member_totals'] as const;

export async function createMemberTotalsTables(sql: Sql, schema: string): Promise<void> {
  const s = ident(schema);
  await sql.query(`
    CREATE TABLE ${s}.member_shift_shares (
      shift_id text PRIMARY KEY, member_id text NOT NULL, citizens bigint NOT NULL, verified_micros bigint NOT NULL);
    CREATE TABLE ${s}.member_totals (
      member_id text PRIMARY KEY, citizens bigint NOT NULL, verified_micros bigint NOT NULL);
  `);
}

type Share = { member_id: string; citizens: string; verified_micros: string };

export async function applyMemberTotals(
  tx: ProjectionTx,
  shifts: readonly string[],
): Promise<void> {
  if (!shifts.length) return;
  const s = ident(tx.schema);
  const before = await rows<Share>(
    tx.sql,
    `DELETE FROM ${s}.member_shift_shares WHERE shift_id = ANY($1) RETURNING member_id, citizens, verified_micros`,
    [shifts],
  );
  // a verified shift without both times counts nothing, as a NULL duration adds nothing to a sum
  const after = await rows<Share>(
    tx.sql,
    `INSERT INTO ${s}.member_shift_shares
     SELECT shift_id, member_id, CASE WHEN status <> 'rejected' THEN citizens ELSE 0 END,
       CASE WHEN status = 'verified' THEN COALESCE(round(EXTRACT(EPOCH FROM ended_at - started_at) * 1000000)::bigint, 0) ELSE 0 END
     FROM ${s}.shifts WHERE shift_id = ANY($1) AND member_id IS NOT NULL
     RETURNING member_id, citizens, verified_micros`,
    [shifts],
  );
  const totals = new Map<
    string,
    { member_id: string; citizens: number; verified_micros: number }
  >();
  const add = (share: Share, sign: 1 | -1) => {
    const row = totals.get(share.member_id) ?? {
      member_id: share.member_id,
      citizens: 0,
      verified_micros: 0,
    };
    row.citizens += sign * Number(share.citizens);
    row.verified_micros += sign * Number(share.verified_micros);
    totals.set(share.member_id, row);
  };
  for (const share of before) add(share, -1);
  for (const share of after) add(share, 1);
  const changed = [...totals.values()].filter((t) => t.citizens !== 0 || t.verified_micros !== 0);
  if (!changed.length) return;
  await bulkInsert(tx.sql, {
    table: `${s}.member_totals`,
    columns: { member_id: 'text', citizens: 'bigint', verified_micros: 'bigint' },
    rows: changed,
    onConflict: `ON CONFLICT (member_id) DO UPDATE SET citizens = ${s}.member_totals.citizens + EXCLUDED.citizens,
      verified_micros = ${s}.member_totals.verified_micros + EXCLUDED.verified_micros`,
  });
  // a member back at zero is as if never counted: live and rebuilt read models stay row for row equal
  await tx.sql.query(
    `DELETE FROM ${s}.member_totals WHERE member_id = ANY($1) AND citizens = 0 AND verified_micros = 0`,
    [changed.map((t) => t.member_id)],
  );
}
