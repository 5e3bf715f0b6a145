import { rows, type Sql } from '../../runner/projection.js';

export type CampaignListEntry = {
  campaignId: string;
  unitId: string;
  unitName: string | null;
  name: string;
  startDate: string;
  endDate: string;
  closed: boolean;
};

/**
 * The campaigns a unit takes part in: those launched by the unit, by a unit of its subtree, or by one
 * of its ancestors (whose campaigns its members may join, API.md "Who may do what"). Without a unit,
 * every campaign. Newest first; the dashboard's campaign picker.
 */
export async function campaignList(
  sql: Sql,
  schema: string,
  unitId: string | undefined,
  limit: number,
): Promise<CampaignListEntry[]> {
  const found = await rows<{
    campaign_id: string;
    unit_id: string;
    unit_name: string | null;
    name: string;
    start_date: string;
    end_date: string;
    closed: boolean;
  }>(
    sql,
    `SELECT c.campaign_id, c.unit_id, u.name AS unit_name, c.name, c.start_date::text, c.end_date::text, c.closed
       FROM ${schema}.campaigns c LEFT JOIN ${schema}.units u ON u.unit_id = c.unit_id
      WHERE $1::text IS NULL
         OR u.path @> ARRAY[$1::text]
         OR c.unit_id = ANY ((SELECT path FROM ${schema}.units WHERE unit_id = $1)::text[])
      ORDER BY c.start_date DESC, c.campaign_id LIMIT $2`,
    [unitId ?? null, limit],
  );
  return found.map((row) => ({
    campaignId: row.campaign_id,
    unitId: row.unit_id,
    unitName: row.unit_name,
    name: row.name,
    startDate: row.start_date,
    endDate: row.end_date,
    closed: row.closed,
  }));
}
