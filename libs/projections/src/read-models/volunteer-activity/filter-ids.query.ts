import { rows, type Sql } from '../../runner/projection.js';

/** The ids a board or a list is filtered by (API.md: `unitId`, `parentId`, `campaignId`). */
export type FilterIds = Readonly<{ unitId?: string; parentId?: string; campaignId?: string }>;

/** A read filtered by an id that names nothing: API.md answers 404 for an unknown id. */
export class UnknownFilterId {
  constructor(
    readonly code: 'unit_not_found' | 'campaign_not_found',
    readonly message: string,
  ) {}
}

/**
 * Runs `read` unless one of its filter ids names no unit or campaign in the read model, in the same
 * snapshot as the read (an id and the answer it filters come from one position). A mistyped unit gave
 * an empty board with 200, which a dashboard shows as "nobody did anything there".
 */
export async function ifFilterIdsKnown<T>(
  sql: Sql,
  schema: string,
  ids: FilterIds,
  read: () => Promise<T>,
): Promise<T | UnknownFilterId> {
  const units = (['unitId', 'parentId'] as const).filter((name) => ids[name] !== undefined);
  if (units.length || ids.campaignId !== undefined) {
    const [found] = await rows<{ units: string[]; campaign: boolean }>(
      sql,
      `SELECT ARRAY(SELECT unit_id FROM ${schema}.units WHERE unit_id = ANY($1::text[])) AS units,
              $2::text IS NULL OR EXISTS (SELECT 1 FROM ${schema}.campaigns WHERE campaign_id = $2) AS campaign`,
      [units.map((name) => ids[name]), ids.campaignId ?? null],
    );
    for (const name of units)
      if (!found!.units.includes(ids[name]!))
        return new UnknownFilterId(
          'unit_not_found',
          `${name} ${ids[name]} is unknown (or not projected yet)`,
        );
    if (!found!.campaign)
      return new UnknownFilterId(
        'campaign_not_found',
        `campaignId ${ids.campaignId} is unknown (or not projected yet)`,
      );
  }
  return read();
}
