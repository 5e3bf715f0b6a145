import { rows, type Sql } from '../../runner/projection.js';

export type CampaignSpan = Readonly<{
  campaignId: string;
  timezone: string;
  startDate: string;
  endDate: string;
}>;

/** Every campaign's zone and dates, by zone and start: what /health compares the tz data over. */
export async function campaignSpans(sql: Sql, schema: string): Promise<CampaignSpan[]> {
  const found = await rows<{
    campaign_id: string;
    timezone: string;
    start_date: string;
    end_date: string;
  }>(
    sql,
    `SELECT campaign_id, timezone, start_date::text, end_date::text
       FROM ${schema}.progress_campaigns ORDER BY timezone, start_date, campaign_id`,
  );
  return found.map((row) => ({
    campaignId: row.campaign_id,
    timezone: row.timezone,
    startDate: row.start_date,
    endDate: row.end_date,
  }));
}
