import { rows, type Sql } from '../../runner/projection.js';

/** The ids a board or a list is filtered by (API.md: `unitId`, `parentId`, `campaignId`). */
export type FilterIds = Readonly<{ unitId?: string; parentId?: string; campaignId?: string }>;

/** A read filtered by an id that names nothing: API.md answers 404 for an unknown id. */
export class UnknownFilterId {
  constructor(
    readonly code: 'unit_not_found' | 'campaign_not_found' | 'programme_not_found',
    readonly message: string,
  ) {}
}

/**
 * The answer of `read`, or UnknownFilterId when it is empty because one of its filter ids names no
 * unit or campaign in the read model. A mistyped unit gave an empty board with 200, which a dashboard
 * shows as "nobody did anything there". Only an empty answer is looked into: an entry of a board or a
 * list is there through its unit, parent or campaign, so a dashboard's usual read costs no more. The
 * ids are looked up in the read's own snapshot, so the answer and the check come from one position.
 */
export async function ifFilterIdsKnown<T>(
  sql: Sql,
  schema: string,
  ids: FilterIds,
  read: () => Promise<T>,
  isEmpty: (answer: T) => boolean,
): Promise<T | UnknownFilterId> {
  const answer = await read();
  if (!isEmpty(answer)) return answer;
  const units = (['unitId', 'parentId'] as const).filter((name) => ids[name] !== undefined);
  if (!units.length && ids.campaignId === undefined) return answer;
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
  return answer;
}
