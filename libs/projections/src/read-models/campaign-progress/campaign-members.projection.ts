import { bulkInsert } from '../../runner/bulk-sql.js';
import { ident, rows, type ProjectionTx } from '../../runner/projection.js';

/** What changed for one member in one campaign, inside its window. */
export type CampaignMemberDelta = {
  campaign_id: string;
  member_id: string;
  turns: number;
  citizens: number;
  verified_micros: number;
};

const keyOf = (row: { campaign_id: string; member_id: string }) =>
  `${row.campaign_id}\u0000${row.member_id}`;

/**
 * A member's figures inside a campaign's window (`progress_volunteers`: turns, citizens, verified
 * hours): the campaign's member leaderboard, and its distinct volunteers, kept in
 * `progress_campaigns` as the members whose turns went from none to some (or back).
 */
export async function applyCampaignMembers(
  tx: ProjectionTx,
  deltas: CampaignMemberDelta[],
): Promise<void> {
  if (!deltas.length) return;
  const s = ident(tx.schema);
  const current = new Map<string, CampaignMemberDelta>();
  for (const row of await rows<Record<keyof CampaignMemberDelta, string>>(
    tx.sql,
    `SELECT v.campaign_id, v.member_id, v.turns, v.citizens, v.verified_micros FROM ${s}.progress_volunteers v
     JOIN unnest($1::text[], $2::text[]) AS u(campaign_id, member_id) USING (campaign_id, member_id)`,
    [deltas.map((d) => d.campaign_id), deltas.map((d) => d.member_id)],
  ))
    current.set(keyOf(row), {
      campaign_id: row.campaign_id,
      member_id: row.member_id,
      turns: Number(row.turns),
      citizens: Number(row.citizens),
      verified_micros: Number(row.verified_micros),
    });
  const distinct = new Map<string, number>();
  const next = deltas.map((d) => {
    const was = current.get(keyOf(d));
    const row = {
      ...d,
      turns: (was?.turns ?? 0) + d.turns,
      citizens: (was?.citizens ?? 0) + d.citizens,
      verified_micros: (was?.verified_micros ?? 0) + d.verified_micros,
    };
    const move = (row.turns > 0 ? 1 : 0) - ((was?.turns ?? 0) > 0 ? 1 : 0);
    if (move) distinct.set(d.campaign_id, (distinct.get(d.campaign_id) ?? 0) + move);
    return row;
  });
  await bulkInsert(tx.sql, {
    table: `${s}.progress_volunteers`,
    columns: {
      campaign_id: 'text',
      member_id: 'text',
      turns: 'bigint',
      citizens: 'bigint',
      verified_micros: 'bigint',
    },
    rows: next,
    onConflict: `ON CONFLICT (campaign_id, member_id) DO UPDATE SET turns = EXCLUDED.turns,
      citizens = EXCLUDED.citizens, verified_micros = EXCLUDED.verified_micros`,
  });
  // a member back at zero is as if never counted: live and rebuilt read models stay row for row equal
  const gone = next.filter((m) => m.turns === 0 && m.citizens === 0 && m.verified_micros === 0);
  if (gone.length) {
    await tx.sql.query(
      `DELETE FROM ${s}.progress_volunteers v USING unnest($1::text[], $2::text[]) AS u(campaign_id, member_id)
       WHERE (v.campaign_id, v.member_id) = (u.campaign_id, u.member_id)`,
      [gone.map((m) => m.campaign_id), gone.map((m) => m.member_id)],
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
